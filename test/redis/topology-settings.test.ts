import { expect } from "chai";
import { pino } from "pino";
import { ConfigError, loadSettings } from "../../src/config/load.js";
import { resolveRedis } from "../../src/queue/redis.js";

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
});
