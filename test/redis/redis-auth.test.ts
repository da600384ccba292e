import { expect } from "chai";
import { pino } from "pino";
import { ConfigError } from "../../src/config/load.js";
import type { Settings } from "../../src/config/settings.js";
import { type Logger, loggerOptions } from "../../src/observability/logger.js";
import { messageEvent, postEvent, waitForEvent } from "../support/events.js";
import { type PushWorld, startPushWorld, userWithDevices } from "../support/push-world.js";
import {
  ClusterSetup,
  clusterModeUnavailable,
  redisTlsUnavailable,
  SecuredServer,
  SentinelSetup,
  until,
} from "../support/redis-topologies.js";
import { opensslUnavailable, securedRedis } from "../support/secured-redis.js";
import { startTestGateway } from "../support/test-gateway.js";

type Overrides = Partial<Record<keyof Settings, unknown>>;

const passwords = [securedRedis.dataPassword, securedRedis.userPassword, securedRedis.sentinelPassword];

/** Every line a gateway logs, at debug level and up, with what the gateway's loggers keep out of the log. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino(loggerOptions("debug"), { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

type LoggedWorld = PushWorld & { lines: string[] };

/** As `startPushWorld`, with the gateway's log kept in `lines`. */
async function startLoggedWorld(settings: Overrides): Promise<LoggedWorld> {
  const { logger, lines } = capturingLogger();
  return { ...(await startPushWorld(settings, {}, logger)), lines };
}

/**
 * A setup of the suite's own, started before its tests — skipped, saying why, where `unavailable`
 * names what this machine lacks — and stopped after them with the world they start on it.
 */
function onSetup<Setup extends { stop(): Promise<void> }>(
  what: string,
  start: () => Promise<Setup>,
  unavailable: () => Promise<string | undefined> = async () => undefined,
): { setup: () => Setup; world?: LoggedWorld } {
  let started: Setup | undefined;
  const suite: { setup: () => Setup; world?: LoggedWorld } = { setup: () => started as Setup };
  before(async function () {
    const why = await unavailable();
    if (why) {
      console.log(`      skipped, ${what}: ${why}`);
      this.skip();
    }
    started = await start();
  });
  after(async () => {
    await suite.world?.close();
    await started?.stop();
  });
  return suite;
}

/** Posts an event to a member with an Android device, and sees it completed and received once. */
async function runsAnEventThrough(world: PushWorld, userId: string): Promise<void> {
  const { android } = await userWithDevices(world.gw, world.app, userId);
  const event = messageEvent({
    channel: { id: "c1", display_name: "Team", member_ids: ["u1", userId] },
  });
  expect((await postEvent(world.gw, world.app, event)).status).to.equal(202);
  expect((await waitForEvent(world.gw, world.app, event.id)).status).to.equal("completed");
  expect(world.sims.received.forToken(android as string), "the member's device got the event").to.have.length(
    1,
  );
}

/** The error `startTestGateway` fails with on these settings; fails itself when the gateway starts. */
async function refusedStart(settings: Overrides): Promise<Error> {
  const { logger, lines } = capturingLogger();
  const started = await startTestGateway(settings, logger).then(
    async (gw) => {
      await gw.close();
      return undefined;
    },
    (error: unknown) => error as Error,
  );
  if (started === undefined) throw new Error("the gateway started");
  expect(started).to.be.instanceOf(ConfigError);
  expectNoPasswordIn([...lines, started.message]);
  return started;
}

function expectNoPasswordIn(lines: string[]): void {
  const leaks = lines.filter((line) => passwords.some((password) => line.includes(password)));
  expect(leaks, "log lines with a password").to.deep.equal([]);
}

describe("Redis Sentinel and Cluster with passwords and TLS (docs/configuration.md)", function () {
  this.timeout(180_000);

  describe("Sentinels and a master that take passwords of their own", () => {
    const suite = onSetup("Sentinels with passwords", () => SentinelSetup.start({ passwords: true }));

    it("runs an event through as the data nodes' ACL user, past the Sentinels' password", async () => {
      const world = await startLoggedWorld(suite.setup().settings);
      suite.world = world;
      expect((await world.gw.request("GET", "/readyz")).status).to.equal(200);
      await runsAnEventThrough(world, "u2");
      expect(world.gw.gateway.redisUrl).to.match(/^sentinel pushgate@127\.0\.0\.1:\d+/);
      expectNoPasswordIn([...world.lines, world.gw.gateway.redisUrl]);
    });

    it("says at /readyz and in the log that the master refuses the password while it does, and is ready again after", async () => {
      const running = suite.world as LoggedWorld;
      const setup = suite.setup();
      await setup.setGatewayUser(false);
      let reported = "";
      await until(async () => {
        const answer = await running.gw.request("GET", "/readyz");
        reported = String(answer.body?.checks?.redis);
        return answer.status === 503 && /WRONGPASS/.test(reported);
      }, "/readyz answering 503 with the master's refusal");
      expect(reported).to.equal(
        "Redis refuses the gateway: REDIS_PASSWORD: master pushgate (as the Sentinels name it) refused " +
          "the password of user pushgate (WRONGPASS invalid username-password pair or user is disabled.)",
      );
      const refusals = running.lines.filter((line) => line.includes("Redis refuses the gateway"));
      expect(refusals, "the refusal logged").not.to.be.empty;
      expect(JSON.parse(refusals[0] as string)).to.include({ level: 50 });
      expect(refusals[0]).to.include(
        "REDIS_PASSWORD: master pushgate (as the Sentinels name it) refused the password of user pushgate",
      );

      await setup.setGatewayUser(true);
      await until(
        async () => (await running.gw.request("GET", "/readyz")).status === 200,
        "/readyz answering 200 again",
      );
      await runsAnEventThrough(running, "u3");
      expectNoPasswordIn(running.lines);
    });

    it("does not start with a wrong or missing password, and says which", async () => {
      const cases: [Overrides, RegExp][] = [
        [
          { REDIS_PASSWORD: "not-the-password" },
          /^REDIS_PASSWORD: master pushgate \(as the Sentinels name it\) refused the password of user pushgate \(WRONGPASS/,
        ],
        [
          { REDIS_USERNAME: undefined, REDIS_PASSWORD: undefined },
          /^REDIS_PASSWORD: master pushgate \(as the Sentinels name it\) requires a password, and none is set \(NOAUTH\)$/,
        ],
        [
          { REDIS_SENTINEL_PASSWORD: "not-the-password" },
          /^REDIS_SENTINEL_PASSWORD: the Sentinels refused the password \(WRONGPASS/,
        ],
        [
          { REDIS_SENTINEL_PASSWORD: undefined },
          /^REDIS_SENTINEL_PASSWORD: the Sentinels require a password, and none is set \(NOAUTH\)$/,
        ],
      ];
      for (const [overrides, message] of cases) {
        const error = await refusedStart({ ...suite.setup().settings, ...overrides });
        expect(error.message).to.match(message);
      }
    });
  });

  describe("a Cluster whose nodes take a password", () => {
    const suite = onSetup(
      "Redis Cluster with a password",
      () => ClusterSetup.start({ passwords: true }),
      clusterModeUnavailable,
    );

    it("runs an event through", async () => {
      suite.world = await startLoggedWorld(suite.setup().settings);
      await runsAnEventThrough(suite.world, "u2");
    });

    it("does not start with a wrong or missing password, and says which", async () => {
      const settings = suite.setup().settings;
      expect((await refusedStart({ ...settings, REDIS_PASSWORD: "not-the-password" })).message).to.match(
        /^REDIS_PASSWORD: the Cluster's nodes refused the password \(WRONGPASS/,
      );
      expect((await refusedStart({ ...settings, REDIS_PASSWORD: undefined })).message).to.equal(
        "REDIS_PASSWORD: the Cluster's nodes require a password, and none is set (NOAUTH)",
      );
    });
  });

  describe("over TLS, with the simulators' test CA", () => {
    before(async function () {
      const unavailable = await redisTlsUnavailable();
      if (unavailable) {
        console.log(`      skipped, Redis over TLS: ${unavailable}`);
        this.skip();
      }
    });

    describe("Sentinels, master and replica speaking TLS only", () => {
      const suite = onSetup("Sentinels over TLS", () => SentinelSetup.start({ passwords: true, tls: true }));

      it("runs an event through, the Sentinels' and the master's certificates checked against REDIS_TLS_CA_FILE", async () => {
        const world = await startLoggedWorld(suite.setup().settings);
        suite.world = world;
        await runsAnEventThrough(world, "u2");
        expect(world.gw.gateway.redisUrl).to.match(/ \(TLS\)$/);
      });

      it("does not start without the CA, or without TLS, and says which setting", async () => {
        const settings = suite.setup().settings;
        expect((await refusedStart({ ...settings, REDIS_TLS_CA_FILE: undefined })).message).to.match(
          /^REDIS_TLS: TLS with Sentinel 127\.0\.0\.1:\d+ failed: self-signed certificate in certificate chain/,
        );
        expect(
          (await refusedStart({ ...settings, REDIS_TLS: false, REDIS_TLS_CA_FILE: undefined })).message,
        ).to.match(/^REDIS_TLS: 127\.0\.0\.1:\d+ speaks TLS, and REDIS_TLS is not true$/);
      });
    });

    describe("a Cluster speaking TLS to clients and on its bus", () => {
      const suite = onSetup(
        "Redis Cluster over TLS",
        () => ClusterSetup.start({ passwords: true, tls: true }),
        async () => (await clusterModeUnavailable()) ?? opensslUnavailable(),
      );

      it("runs an event through", async () => {
        suite.world = await startLoggedWorld(suite.setup().settings);
        await runsAnEventThrough(suite.world, "u2");
      });

      it("does not start without the CA, and says so", async () => {
        const settings = suite.setup().settings;
        expect((await refusedStart({ ...settings, REDIS_TLS_CA_FILE: undefined })).message).to.match(
          /^REDIS_TLS: TLS with Cluster node 127\.0\.0\.1:\d+ failed: self-signed certificate in certificate chain/,
        );
      });
    });

    describe("one server behind a rediss:// REDIS_URL", () => {
      const suite = onSetup("a rediss:// server", () => SecuredServer.start());

      it("runs an event through with REDIS_TLS_CA_FILE's CA, and keeps the URL's password out of its description", async () => {
        const url = suite.setup().url;
        const world = await startLoggedWorld({ REDIS_URL: url, REDIS_TLS_CA_FILE: securedRedis.caFile });
        suite.world = world;
        await runsAnEventThrough(world, "u2");
        expect(world.gw.gateway.redisUrl).to.equal(url.replace(securedRedis.dataPassword, "redacted"));
      });

      it("does not start without the CA, and says so", async () => {
        expect((await refusedStart({ REDIS_URL: suite.setup().url })).message).to.match(
          /^REDIS_URL: TLS with Redis at rediss:\/\/:redacted@127\.0\.0\.1:\d+ failed: self-signed certificate in certificate chain/,
        );
      });
    });
  });
});
