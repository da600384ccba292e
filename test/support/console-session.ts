/** The CSRF token a console page's forms carry. */
function csrfOf(page: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
}

/** An operator signed in to the console at `baseUrl` with `credential`: the session cookie and its CSRF token. */
export async function signInToConsole(
  baseUrl: string,
  credential: string,
): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${baseUrl}/console/sign-in`);
  const anonymous = (form.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const signedIn = await fetch(`${baseUrl}/console/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: anonymous },
    body: new URLSearchParams({ _csrf: csrfOf(await form.text()), credential }),
    redirect: "manual",
  });
  const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const page = await fetch(`${baseUrl}/console/apps`, { headers: { cookie } });
  return { cookie, csrf: csrfOf(await page.text()) };
}

/** A console page's text as a reader sees it: tags and whitespace runs collapsed, apostrophes unescaped. */
export async function consolePageText(baseUrl: string, cookie: string, path: string): Promise<string> {
  const html = await (await fetch(`${baseUrl}/console${path}`, { headers: { cookie } })).text();
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");
}
