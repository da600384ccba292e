import { createServer } from "node:net";
import { expect } from "chai";
import { newWebhookSecret } from "../../src/security/credentials.js";
import { runCli } from "./cli-process.js";

/** A user error is one line on stderr, nothing on stdout, exit code 1. */
async function expectUserError(args: string[], message: RegExp): Promise<void> {
  const result = await runCli(args);
  expect(result.code, result.stderr).to.equal(1);
  expect(result.stdout).to.equal("");
  expect(result.stderr.trimEnd().split("\n"), result.stderr).to.have.length(1);
  expect(result.stderr.trimEnd()).to.match(message);
}

describe("pushgate: help and errors", function () {
  this.timeout(30_000);

  it("every command has --help telling its usage", async function () {
    // Seven CLIs compiling their TypeScript at once: minutes, not seconds, on two busy cores.
    this.timeout(120_000);
    const commands = ["start", "migrate", "replay", "listen", "simulate", "samples", "demo"];
    const results = await Promise.all(commands.map((command) => runCli([command, "--help"])));
    for (const [index, result] of results.entries()) {
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(new RegExp(`^Usage: pushgate ${commands[index]} `));
    }
  });

  it("replay without a destination", () =>
    expectUserError(
      ["replay", "webhook-samples/events"],
      /^pushgate: say where to replay: --gateway <url> .* or --target <url>/,
    ));

  it("replay to a gateway without the app's secret", () =>
    expectUserError(
      ["replay", "webhook-samples/events", "--gateway", "http://127.0.0.1:8080", "--app", "app_1"],
      /^pushgate: replay to a --gateway needs --app <app_id> and --secret/,
    ));

  it("replay of a path that does not exist", () =>
    expectUserError(
      ["replay", "no-such-dir", "--target", "http://127.0.0.1:9/", "--webhook-secret", newWebhookSecret()],
      /^pushgate: no-such-dir: no such file or folder$/,
    ));

  it("replay with a secret that is not one", () =>
    expectUserError(
      [
        "replay",
        "webhook-samples/events",
        "--gateway",
        "http://127.0.0.1:8080",
        "--app",
        "a",
        "--secret",
        "hunter2",
      ],
      /--secret <whsec_…>' argument 'hunter2' is invalid\. a secret looks like whsec_/,
    ));

  it("replay to a gateway and a target at once", () =>
    expectUserError(
      [
        "replay",
        "webhook-samples/events",
        "--gateway",
        "http://127.0.0.1:8080",
        "--target",
        "http://127.0.0.1:9",
      ],
      /option '--gateway <url>' cannot be used with option '--target <url>'/,
    ));

  it("listen with an --edit file that is missing", () =>
    expectUserError(
      ["listen", "--port", "0", "--edit", "missing.json"],
      /^pushgate: --edit missing\.json: cannot read it \(ENOENT\)$/,
    ));

  it("listen with two answers", () =>
    expectUserError(
      ["listen", "--action", "drop", "--status", "500"],
      /option '--status <code>' cannot be used with option '--action <action>'/,
    ));

  it("listen with an --outage that is not one", async () => {
    for (const value of ["0", "200:30", "503:", "30s"]) {
      await expectUserError(
        ["listen", "--outage", value],
        /option '--outage <\[status:\]seconds>' argument '.*' is invalid\. an outage is <seconds> or <status>:<seconds>/,
      );
    }
  });

  it("listen on a port that is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expectUserError(
        ["listen", "--port", String(port)],
        /^pushgate: cannot listen on 127\.0\.0\.1:\d+: the port is taken; choose another with --host, --port$/,
      );
    } finally {
      taken.close();
    }
  });
});
