import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { type HtmlValue, html, type SafeHtml } from "../html.js";
import { flashNotice } from "./notice.js";

export type Section = "apps" | "events" | "users" | "live" | "sign-in";

const sections: { id: Section; label: string; path: string }[] = [
  { id: "apps", label: "Apps", path: "/apps" },
  { id: "events", label: "Events", path: "/events" },
  { id: "users", label: "Users", path: "/users" },
  { id: "live", label: "Live", path: "/live" },
];

/** htmx must not inject styles or evaluate code: the CSP forbids both. */
const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
});

export function csrfField(locals: ConsoleLocals): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${locals.csrfToken}">`;
}

function scopeLabel(locals: ConsoleLocals): string {
  const scope = locals.session.scope;
  if (!scope) return "";
  return scope.kind === "admin" ? "operator (all apps)" : `server key of ${scope.appId}`;
}

function navigation(locals: ConsoleLocals, current: Section): SafeHtml {
  if (!locals.session.scope) return html``;
  const links = sections.map(
    (section) =>
      html`<li><a href="${consoleBase}${section.path}"${section.id === current ? html` aria-current="page"` : ""}>${section.label}</a></li>`,
  );
  return html`<nav aria-label="Console sections"><ul>${links}</ul></nav>
    <form method="post" action="${consoleBase}/sign-out" class="sign-out">
      ${csrfField(locals)}<span>Signed in as ${scopeLabel(locals)}</span>
      <button type="submit">Sign out</button>
    </form>`;
}

export interface PageOptions {
  title: string;
  section: Section;
  locals: ConsoleLocals;
  body: HtmlValue;
}

/** The document around every console page: landmarks, skip link, no inline script or style. */
export function page(options: PageOptions): SafeHtml {
  const { locals } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Pushgate console</title>
<meta name="htmx-config" content="${htmxConfig}">
<link rel="stylesheet" href="${consoleBase}/assets/console.css">
<link rel="icon" href="${consoleBase}/assets/favicon.svg" type="image/svg+xml">
<script src="${consoleBase}/assets/htmx.min.js" defer></script>
<script src="${consoleBase}/assets/copy.js" defer></script>
</head>
<body hx-headers="${JSON.stringify({ "X-CSRF-Token": locals.csrfToken })}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
<p class="brand"><a href="${consoleBase}/">Pushgate console</a></p>
${navigation(locals, options.section)}
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${flashNotice(locals)}
${options.body}
</main>
</body>
</html>`;
}

/** A list of what was wrong with a form, announced to screen readers and focused, as a notice is. */
export function errorSummary(errors: { path: string; message: string }[], detail?: string): SafeHtml {
  if (errors.length === 0 && !detail) return html``;
  return html`<div id="errors" class="error-summary" role="alert" tabindex="-1" autofocus>
    <h2>That did not work</h2>
    ${detail ? html`<p>${detail}</p>` : ""}
    ${errors.length ? html`<ul>${errors.map((error) => html`<li><code>${error.path}</code>: ${error.message}</li>`)}</ul>` : ""}
  </div>`;
}

export function time(date: Date | null): SafeHtml {
  if (!date) return html`—`;
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>`;
}

/** A wide table that scrolls inside its own box on a narrow screen, not the whole page; focusable so the keyboard can scroll it. */
export function scrollBox(label: string, content: SafeHtml): SafeHtml {
  return html`<div class="scroll-box" role="region" aria-label="${label}" tabindex="0">${content}</div>`;
}
