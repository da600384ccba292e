import type { ConsoleLocals } from "../console-auth.js";
import type { ShownSecret } from "../flash.js";
import { html, type SafeHtml } from "../html.js";

function secretList(secrets: ShownSecret[]): SafeHtml {
  return html`<p>Copy them now: the console will not show them again.</p>
    <dl class="facts">${secrets.map(
      (secret, index) => html`<dt>${secret.label}</dt>
        <dd class="secret-row"><code class="secret" id="secret-${index}">${secret.value}</code>
          <button type="button" class="secondary copy" data-copy="secret-${index}">Copy<span
            class="visually-hidden"> ${secret.label.toLowerCase()}</span></button>
          <span class="copy-status" role="status" data-copy-status="secret-${index}"></span></dd>`,
    )}</dl>`;
}

/**
 * The outcome of the action that led here, focused on arrival (`autofocus`; the CSP allows no
 * inline script) so that the keyboard and a screen reader start from it, not from the top.
 */
export function flashNotice(locals: ConsoleLocals): SafeHtml {
  const flash = locals.flash;
  if (!flash) return html``;
  return html`<div id="notice" class="notice" role="status" tabindex="-1" autofocus>
    <p>${flash.notice}</p>
    ${flash.secrets?.length ? secretList(flash.secrets) : ""}
  </div>`;
}
