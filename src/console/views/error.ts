import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { page } from "./layout.js";

export function errorPage(locals: ConsoleLocals, title: string, detail: string): SafeHtml {
  return page({
    title,
    section: locals.session.scope ? "apps" : "sign-in",
    locals,
    body: html`<p role="alert">${detail}</p>
      <p><a class="tap" href="${consoleBase}/${locals.session.scope ? "apps" : "sign-in"}">Back to the console</a></p>`,
  });
}
