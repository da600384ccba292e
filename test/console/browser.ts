import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { expect } from "chai";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";

const chromiumPath = "/usr/bin/chromium";

/** Set (not to "0" or "false") where the browser tests must run: `CI`, or `REQUIRE_BROWSER`, which `.ci/run` sets. */
function browserRequired(): boolean {
  return [process.env.CI, process.env.REQUIRE_BROWSER].some(
    (value) => value !== undefined && !["", "0", "false"].includes(value.toLowerCase()),
  );
}

/**
 * For a suite's `before`: without Chromium, its tests skip, saying so, on a developer's machine,
 * and fail under CI, where a silent skip would pass for a green run.
 */
export function requireChromium(suite: Mocha.Context): void {
  if (existsSync(chromiumPath)) return;
  const missing = `no Chromium at ${chromiumPath} (apt-get install chromium; .ci/run does)`;
  if (browserRequired())
    throw new Error(`${missing}: the browser tests must run here (CI or REQUIRE_BROWSER)`);
  console.warn(`    skipped: ${missing}`);
  suite.skip();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Every Content-Security-Policy refusal the page reports: the console must cause none. */
export function watchPolicyViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

/**
 * For a describe block whose tests each get a fresh browser context and page: opened before each
 * test (`opened` receives the page), closed after it, the test then failing on any CSP refusal or
 * script error the page reported. Register it before the block's own `beforeEach`, which can then
 * use the page.
 */
export function pagePerTest(
  browser: () => Browser,
  opened: (page: Page) => void,
  contextOptions: BrowserContextOptions = {},
): void {
  let context: BrowserContext | undefined;
  let violations: string[] = [];
  beforeEach(async () => {
    context = await browser().newContext(contextOptions);
    const page = await context.newPage();
    violations = watchPolicyViolations(page);
    opened(page);
  });
  afterEach(async () => {
    await context?.close();
    expect(violations, "no CSP refusal or script error").to.deep.equal([]);
  });
}

/** Signs `page` in to the console of the gateway at `gatewayUrl`, from `from`, a console path that shows the sign-in form. */
export async function signInToConsole(
  page: Page,
  gatewayUrl: string,
  credential: string,
  from = "/sign-in",
): Promise<void> {
  await page.goto(`${gatewayUrl}/console${from}`);
  await page.getByLabel("Admin token or server key").fill(credential);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/console\/apps$/);
}

const axeSource = createRequire(import.meta.url)("axe-core").source as string;

const axeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown }[];
}

/** Runs axe-core in the page (through the debugging protocol, which the CSP does not govern). */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(axeTags)} } }).then((result) => result.violations)`,
  )) as AxeViolation[];
  const serious = violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
  expect(serious, `axe on ${page.url()}`).to.deep.equal([]);
}
