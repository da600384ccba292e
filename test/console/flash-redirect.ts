import { expect } from "chai";

/** The `name=value` of each cookie a response sets. */
function setCookies(response: Response): string[] {
  return response.headers.getSetCookie().map((header) => header.split(";")[0] as string);
}

/**
 * Follows a console POST's 303 as a browser would: to its location, with the session cookie
 * and the flash cookie the answer set. The page's text, tags collapsed, and its HTML.
 */
export async function followRedirect(
  baseUrl: string,
  cookie: string,
  response: Response,
): Promise<{ html: string; text: string; location: string }> {
  expect(response.status, "Post/Redirect/Get").to.equal(303);
  const location = response.headers.get("location") ?? "";
  const cookies = [cookie, ...setCookies(response)].join("; ");
  const html = await (await fetch(`${baseUrl}${location}`, { headers: { cookie: cookies } })).text();
  const text = html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");
  return { html, text, location };
}
