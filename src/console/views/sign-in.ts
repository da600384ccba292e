import type { ConsoleLocals } from "../console-auth.js";
import { consoleBase } from "../console-auth.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, errorSummary, page } from "./layout.js";

export function signInPage(locals: ConsoleLocals, next: string, refused?: string): SafeHtml {
  return page({
    title: "Sign in",
    section: "sign-in",
    locals,
    body: html`
      ${errorSummary([], refused)}
      <p>Sign in with the gateway's admin token to operate every app, or with an app's server key
        (<code>sk_…</code>) to see that app only.</p>
      <form method="post" action="${consoleBase}/sign-in" class="stack">
        ${csrfField(locals)}
        <input type="hidden" name="next" value="${next}">
        <label for="credential">Admin token or server key</label>
        <input id="credential" name="credential" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
      </form>`,
  });
}
