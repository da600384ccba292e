import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ConfigError, loadSettings } from "../src/config/load.js";

function expectConfigError(run: () => unknown, message: RegExp): void {
  expect(run).to.throw(ConfigError, message);
}

describe("configuration", () => {
  it("starts from config/default.json with the documented defaults", () => {
    const settings = loadSettings({ env: {} });
    expect(settings).to.include({
      PORT: 8080,
      HOST: "127.0.0.1",
      DATABASE_URL: "sqlite:./data/pushgate.db",
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_PREFIX: "pushgate",
      DATA_DIR: "./data",
      PUSHGATE_ROLE: "all",
      ALLOW_PRIVATE_WEBHOOK_TARGETS: false,
      LOG_LEVEL: "info",
    });
    expect(settings.FCM_ENDPOINT).to.equal(undefined);
  });

  it("keeps the embedded database in DATA_DIR unless DATABASE_URL names one", () => {
    expect(loadSettings({ env: { DATA_DIR: "/var/lib/pushgate/" } }).DATABASE_URL).to.equal(
      "sqlite:/var/lib/pushgate/pushgate.db",
    );
    expect(
      loadSettings({ env: { DATA_DIR: "/var/lib/pushgate", DATABASE_URL: "postgres://db/pushgate" } })
        .DATABASE_URL,
    ).to.equal("postgres://db/pushgate");
  });

  it("lets the environment override the files, with types coerced", () => {
    const settings = loadSettings({
      env: { PORT: "9000", ALLOW_PRIVATE_WEBHOOK_TARGETS: "true", FCM_ENDPOINT: "http://127.0.0.1:4000" },
    });
    expect(settings.PORT).to.equal(9000);
    expect(settings.ALLOW_PRIVATE_WEBHOOK_TARGETS).to.equal(true);
    expect(settings.FCM_ENDPOINT).to.equal("http://127.0.0.1:4000");
  });

  it("names the setting and the bad value in one message", () => {
    expectConfigError(() => loadSettings({ env: { PORT: "eighty" } }), /^PORT: .*\(got "eighty"\)$/);
    expectConfigError(() => loadSettings({ env: { PUSHGATE_ROLE: "both" } }), /^PUSHGATE_ROLE: /);
    expectConfigError(
      () => loadSettings({ env: { DATABASE_URL: "mysql://x" } }),
      /^DATABASE_URL: must be sqlite:<path> or postgres/,
    );
    expectConfigError(
      () => loadSettings({ env: { APNS_SANDBOX_ENDPOINT: "http://x:1" } }),
      /^APNS_SANDBOX_ENDPOINT: must be an https/,
    );
    expectConfigError(() => loadSettings({ env: { EVENT_RETENTION_DAYS: "0" } }), /^EVENT_RETENTION_DAYS: /);
  });

  it("never echoes a secret it refuses", () => {
    expectConfigError(
      () => loadSettings({ env: { PUSHGATE_ADMIN_TOKEN: "short" } }),
      /^PUSHGATE_ADMIN_TOKEN: .*\(got "…"\)$/,
    );
  });

  it("refuses unknown settings and broken JSON in config files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pushgate-config-"));
    writeFileSync(path.join(dir, "default.json"), JSON.stringify({ PORT: 1, POTR: 2 }));
    expectConfigError(() => loadSettings({ env: {}, configDir: dir }), /^POTR: unknown setting/);
    writeFileSync(path.join(dir, "default.json"), "{ nope");
    expectConfigError(() => loadSettings({ env: {}, configDir: dir }), /default\.json is not valid JSON/);
  });
});
