import { readFileSync } from "node:fs";
import { expect } from "chai";
import { pino } from "pino";
import { ConfigError, loadSettings } from "../../src/config/load.js";
import { resolveRedis } from "../../src/queue/redis.js";
import { accessOptions, clusterAccessOptions, describeRedisTarget } from "../../src/queue/redis-target.js";
import { simulatorTls } from "../../src/simulators/tls-material.js";

const sentinels = "10.0.0.1:26379, 10.0.0.2:26379,sentinel-3.internal:26380";

describe("Redis topology settings (docs/configuration.md)", () => {
  it("reads REDIS_SENTINELS with REDIS_SENTINEL_NAME, and REDIS_CLUSTER_NODES, as host:port lists", () => {
    const watched = loadSettings({ env: { REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: "pushgate" } });
    expect(watched.REDIS_SENTINELS).to.deep.equal([
      { host: "10.0.0.1", port: 26379 },
      { host: "10.0.0.2", port: 26379 },
      { host: "sentinel-3.internal", port: 26380 },
    ]);
    const cluster = loadSettings({ env: { REDIS_CLUSTER_NODES: "10.0.0.5:7000" } });
    expect(cluster.REDIS_CLUSTER_NODES).to.deep.equal([{ host: "10.0.0.5", port: 7000 }]);
  });

  it("refuses them together, a Sentinel list without the master's name, and a list that is not host:port", () => {
    const refused = (env: Record<string, string>, message: RegExp) =>
      expect(() => loadSettings({ env })).to.throw(ConfigError, message);
    refused(
      { REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: "pushgate", REDIS_CLUSTER_NODES: "10.0.0.5:7000" },
      /^REDIS_SENTINELS and REDIS_CLUSTER_NODES: set one of them, not both/,
    );
    refused({ REDIS_SENTINELS: sentinels }, /^REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/);
    refused({ REDIS_SENTINEL_NAME: "pushgate" }, /^REDIS_SENTINEL_NAME: set without REDIS_SENTINELS/);
    refused({ REDIS_CLUSTER_NODES: "10.0.0.5" }, /^REDIS_CLUSTER_NODES: a comma-separated list of host:port/);
  });

  it("uses neither REDIS_URL nor a private server when the Sentinels or a Cluster are set", async () => {
    const logger = pino({ level: "silent" });
    const watched = loadSettings({
      env: { REDIS_URL: "redis://127.0.0.1:1", REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: "pushgate" },
    });
    expect(await resolveRedis(watched, logger)).to.deep.equal({
      target: { kind: "sentinel", sentinels: watched.REDIS_SENTINELS, name: "pushgate" },
    });
    const cluster = loadSettings({ env: { REDIS_CLUSTER_NODES: "10.0.0.5:7000,10.0.0.6:7000" } });
    expect(await resolveRedis(cluster, logger)).to.deep.equal({
      target: { kind: "cluster", nodes: cluster.REDIS_CLUSTER_NODES },
    });
  });

  describe("credentials and TLS for the Sentinels and the Cluster", () => {
    const logger = pino({ level: "silent" });
    const ca = readFileSync(simulatorTls.caFile, "utf8").trim();

    it("carry the data nodes' and the Sentinels' user and password, and TLS with the CA file's CAs, into every connection", async () => {
      const watched = loadSettings({
        env: {
          REDIS_SENTINELS: sentinels,
          REDIS_SENTINEL_NAME: "pushgate",
          REDIS_USERNAME: "gateway",
          REDIS_PASSWORD: "data-password",
          REDIS_SENTINEL_USERNAME: "watcher",
          REDIS_SENTINEL_PASSWORD: "sentinel-password",
          REDIS_TLS: "true",
          REDIS_TLS_CA_FILE: simulatorTls.caFile,
        },
      });
      const { target } = await resolveRedis(watched, logger);
      expect(target).to.deep.equal({
        kind: "sentinel",
        sentinels: watched.REDIS_SENTINELS,
        name: "pushgate",
        auth: { username: "gateway", password: "data-password" },
        sentinelAuth: { username: "watcher", password: "sentinel-password" },
        tls: { ca },
      });
      // ioredis takes TLS to the master behind Sentinels only with enableTLSForSentinelMode.
      expect(accessOptions(target)).to.deep.equal({
        username: "gateway",
        password: "data-password",
        sentinelUsername: "watcher",
        sentinelPassword: "sentinel-password",
        tls: { ca },
        enableTLSForSentinelMode: true,
        sentinelTLS: { ca },
      });
      expect(describeRedisTarget(target)).to.equal(
        "sentinel pushgate@10.0.0.1:26379,10.0.0.2:26379,sentinel-3.internal:26380 (TLS)",
      );

      const cluster = loadSettings({
        env: {
          REDIS_CLUSTER_NODES: "redis-a.internal:7000",
          REDIS_PASSWORD: "data-password",
          REDIS_TLS: "1",
        },
      });
      const clusterTarget = (await resolveRedis(cluster, logger)).target;
      expect(clusterTarget).to.deep.equal({
        kind: "cluster",
        nodes: [{ host: "redis-a.internal", port: 7000 }],
        auth: { password: "data-password" },
        tls: {},
      });
      if (clusterTarget.kind !== "cluster") throw new Error("not a cluster");
      const options = clusterAccessOptions(clusterTarget);
      expect(options.redisOptions, "each node's connection").to.deep.equal({
        password: "data-password",
        tls: {},
      });
      // With TLS the nodes are reached by the names given, which their certificates name.
      const looked = await new Promise((resolve) =>
        options.dnsLookup?.("redis-a.internal", (_error, address) => resolve(address)),
      );
      expect(looked).to.equal("redis-a.internal");
      expect(describeRedisTarget(clusterTarget)).to.equal("cluster redis-a.internal:7000 (TLS)");
      expect(describeRedisTarget(clusterTarget)).not.to.include("data-password");
    });

    it("give a rediss:// REDIS_URL the CA file's CAs, and keep the URL's password out of its description", async () => {
      const settings = loadSettings({
        env: {
          REDIS_URL: "rediss://:url-password@redis.internal:6380",
          REDIS_TLS_CA_FILE: simulatorTls.caFile,
        },
      });
      const { target } = await resolveRedis(settings, logger);
      expect(target).to.deep.equal({ kind: "server", url: settings.REDIS_URL, tls: { ca } });
      expect(accessOptions(target)).to.deep.equal({ tls: { ca } });
      expect(describeRedisTarget(target)).to.equal("rediss://:redacted@redis.internal:6380");
    });

    it("are refused where no connection would use them, each refusal naming the setting", () => {
      const refused = (env: Record<string, string>, message: RegExp) =>
        expect(() => loadSettings({ env })).to.throw(ConfigError, message);
      const cluster = { REDIS_CLUSTER_NODES: "10.0.0.5:7000" };
      // REDIS_URL carries its own credentials and scheme.
      refused(
        { REDIS_PASSWORD: "secret" },
        /^REDIS_PASSWORD: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES;/,
      );
      refused(
        { REDIS_USERNAME: "gateway" },
        /^REDIS_USERNAME: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES;/,
      );
      refused(
        { REDIS_TLS: "true" },
        /^REDIS_TLS: only with REDIS_SENTINELS or REDIS_CLUSTER_NODES; .*rediss:\/\//,
      );
      refused(
        { REDIS_TLS_CA_FILE: simulatorTls.caFile },
        /^REDIS_TLS_CA_FILE: REDIS_URL is not a rediss:\/\/ URL/,
      );
      refused(
        { ...cluster, REDIS_SENTINEL_PASSWORD: "secret" },
        /^REDIS_SENTINEL_PASSWORD: set without REDIS_SENTINELS/,
      );
      refused(
        { ...cluster, REDIS_SENTINEL_USERNAME: "watcher" },
        /^REDIS_SENTINEL_USERNAME: set without REDIS_SENTINELS/,
      );
      refused({ ...cluster, REDIS_USERNAME: "gateway" }, /^REDIS_USERNAME: set without REDIS_PASSWORD/);
      refused(
        { REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: "pushgate", REDIS_SENTINEL_USERNAME: "watcher" },
        /^REDIS_SENTINEL_USERNAME: set without REDIS_SENTINEL_PASSWORD/,
      );
      refused(
        { ...cluster, REDIS_TLS_CA_FILE: simulatorTls.caFile },
        /^REDIS_TLS_CA_FILE: set without REDIS_TLS=true/,
      );
      refused({ ...cluster, REDIS_TLS: "yes" }, /^REDIS_TLS: .*\(got "yes"\)$/);
    });

    it("never show a password in a refusal, a URL's included", () => {
      expect(() =>
        loadSettings({ env: { REDIS_URL: "https://gateway:hunter2@redis.internal:6379" } }),
      ).to.throw(
        ConfigError,
        'REDIS_URL: must be a redis:// or rediss:// URL (got "https://gateway:…@redis.internal:6379")',
      );
      expect(() =>
        loadSettings({
          env: {},
          overrides: { ...{ REDIS_CLUSTER_NODES: "10.0.0.5:7000" }, REDIS_PASSWORD: 4711 },
        }),
      )
        .to.throw(ConfigError, /^REDIS_PASSWORD: .*\(got "…"\)$/)
        .with.property("message")
        .that.does.not.include("4711");
    });

    it("stop the start when the CA file cannot be read or holds no certificate", async () => {
      const settings = (file: string) =>
        loadSettings({
          env: { REDIS_CLUSTER_NODES: "10.0.0.5:7000", REDIS_TLS: "true", REDIS_TLS_CA_FILE: file },
        });
      const refusal = async (file: string) => {
        const error = await resolveRedis(settings(file), logger).catch((caught: unknown) => caught);
        expect(error).to.be.instanceOf(ConfigError);
        return (error as Error).message;
      };
      expect(await refusal("/nonexistent/redis-ca.pem")).to.match(
        /^REDIS_TLS_CA_FILE: cannot read \/nonexistent\/redis-ca.pem: ENOENT/,
      );
      expect(await refusal(simulatorTls.keyFile)).to.match(
        /^REDIS_TLS_CA_FILE: .*server.key holds no PEM certificate/,
      );
    });
  });
});
