import fc from "fast-check";
import { authToken, type SignedIn, signIn } from "../devices/client.js";
import {
  awkwardText,
  bodyBytes,
  contentHeaders,
  fieldValue,
  headerValue,
  pathSegment,
  queryString,
  strayHeader,
} from "./arbitraries.js";
import { expectClientOutcome, type FuzzWorld, fuzzParameters, useFuzzWorld } from "./fuzz-world.js";
import type { RawRequest } from "./raw-http.js";

/** Stands for the fuzzed app's current session token, which a fuzzed sign-out may end. */
const sessionToken = "<<session-token>>";

type Credential = "api-key" | "session" | "server-key";

interface ClientRoute {
  /** `{…}`: the segments the fuzzer fills. */
  template: string;
  credential: Credential;
  methods: string[];
  /** Bodies it takes, near valid: each string field now and then awkward. */
  body?: fc.Arbitrary<Record<string, unknown>>;
  /** Its query parameters, as in `?status=failed`. */
  query?: Record<string, fc.Arbitrary<string>>;
}

/** What the fuzzer names things with: the fuzzed app's, the bystander's, and made-up ones. */
interface Vocabulary {
  userIds: string[];
  deviceIds: string[];
  pushTokens: string[];
  authTokens: string[];
  /** Every id above, and the bystander's channel. */
  ids: string[];
}

/** A string field: a value that fits, or text that storage and terminals trip over. */
function text(fitting: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fitting) }, awkwardText(fitting));
}

const providers = ["gcm", "fcm", "apns", "apns_internal"];

/** Sessions, devices, notification and channel settings, members, events and the server-key routes. */
function clientRoutes(words: Vocabulary): ClientRoute[] {
  const pushToken = { provider: fc.constantFrom(...providers), token: text(words.pushTokens) };
  const roles = fc.array(text(["admin", "mod"]), { maxLength: 3 });
  const modules = fc.uniqueArray(
    fc.record(
      {
        module: fc.constantFrom("chat", "social", "video"),
        enabled: fc.boolean(),
        role_filter: fc.oneof(fc.constant(null), fc.record({ only: roles }), fc.record({ not: roles })),
      },
      { requiredKeys: ["module"] },
    ),
    { selector: (entry) => entry.module, maxLength: 3 },
  );
  const appChange = fc.record(
    {
      name: text(["Renamed"]),
      mode: fc.constantFrom("direct", "webhook"),
      webhook: fc.oneof(
        fc.constant(null),
        fc.record(
          {
            // An IP literal, so that no DNS lookup holds the test up; refused ones now and then.
            url: fc.oneof(
              { weight: 3, arbitrary: text(["https://192.0.43.10/pushgate"]) },
              fc.constantFrom(
                "http://127.0.0.1:9/hook",
                "http://[::ffff:127.0.0.1]/x",
                "http://localhost/x",
                "https://user:pw@192.0.43.10/x",
                "ftp://192.0.43.10/",
              ),
            ),
            timeout_ms: fc.integer({ min: 100, max: 15_000 }),
            fallback: fc.constantFrom("drop", "send"),
          },
          { requiredKeys: [] },
        ),
      ),
      push_enabled: fc.boolean(),
      require_auth_token: fc.boolean(),
      notification_ttl_seconds: fc.integer({ min: 0, max: 2_419_200 }),
      fcm: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        fc.record({ service_account: fc.jsonValue({ maxDepth: 2 }) }),
      ),
      apns: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: [] },
  );
  const settings = fc.record({ enabled: fc.boolean(), modules }, { requiredKeys: [] });
  const channelSetting = fc.record({ enabled: fc.boolean() });
  return [
    {
      template: "/v1/sessions",
      credential: "api-key",
      methods: ["POST"],
      body: fc.record(
        {
          user_id: text(words.userIds),
          auth_token: text(words.authTokens),
          device_id: text(words.deviceIds),
        },
        { requiredKeys: ["user_id"] },
      ),
    },
    { template: "/v1/sessions/current", credential: "session", methods: ["DELETE"] },
    {
      template: "/v1/users/{me}/devices",
      credential: "session",
      methods: ["GET", "POST", "DELETE"],
      body: fc.oneof(
        fc.record(
          { ...pushToken, device_id: text(words.deviceIds) },
          { requiredKeys: ["provider", "token"] },
        ),
        fc.record({
          ...pushToken,
          voip_provider: fc.constantFrom("apns_voip", "apns_internal_voip"),
          voip_token: text(words.pushTokens),
        }),
        fc.record({ all: fc.boolean() }),
      ),
    },
    { template: "/v1/users/{me}/devices/sync-token", credential: "session", methods: ["GET"] },
    {
      template: "/v1/users/{me}/devices/sync",
      credential: "session",
      methods: ["PUT"],
      body: fc.record(
        { ...pushToken, push_sync_tokens: fc.array(text(["sync-1"]), { maxLength: 3 }) },
        { requiredKeys: ["provider", "token", "push_sync_tokens"] },
      ),
    },
    {
      template: "/v1/devices/unregister",
      credential: "api-key",
      methods: ["POST"],
      body: fc.oneof(
        fc.record(
          { device_id: text(words.deviceIds), user_id: text(words.userIds) },
          { requiredKeys: ["device_id"] },
        ),
        fc.record({ ...pushToken, user_id: text(words.userIds) }, { requiredKeys: ["provider", "token"] }),
      ),
    },
    {
      template: "/v1/users/{me}/notification-settings",
      credential: "session",
      methods: ["GET", "PUT"],
      body: settings,
    },
    {
      template: "/v1/users/{me}/channels/{channel}/notification-settings",
      credential: "session",
      methods: ["GET", "PUT"],
      body: channelSetting,
    },
    {
      template: "/v1/apps/{app}/users/{user}/notification-settings",
      credential: "server-key",
      methods: ["GET", "PUT"],
      body: settings,
    },
    {
      template: "/v1/apps/{app}/users/{user}/channels/{channel}/notification-settings",
      credential: "server-key",
      methods: ["GET", "PUT"],
      body: channelSetting,
    },
    {
      template: "/v1/apps/{app}/channels/{channel}/members",
      credential: "server-key",
      methods: ["GET", "PUT"],
      body: fc.record({ member_ids: fc.array(text(words.ids), { maxLength: 6 }) }),
    },
    {
      template: "/v1/apps/{app}",
      credential: "server-key",
      methods: ["GET", "PATCH", "DELETE"],
      body: appChange,
    },
    { template: "/v1/apps/{app}/secrets/{kind}/rotate", credential: "server-key", methods: ["POST"] },
    {
      template: "/v1/apps/{app}/events",
      credential: "server-key",
      methods: ["GET"],
      query: {
        status: fc.constantFrom("queued", "processing", "completed", "failed", "expired", "lost"),
        since: fc.constantFrom(
          "2026-01-01T00:00:00Z",
          "0001-01-01T00:00:00Z",
          "9999-12-31T23:59:59.999999Z",
          "now",
        ),
        until: fc.constantFrom("2099-01-01T00:00:00+02:00", "1970-01-01T00:00:00Z", "0"),
        limit: fc.constantFrom("1", "500", "501", "0", "-1", "1e2", "0x10", "abc"),
        // A next_cursor is base64url JSON of [received at in ms, event id]: forged ones of every kind.
        cursor: fc.oneof(
          fc
            .tuple(
              fc.oneof(fc.integer(), fc.double(), fc.constantFrom(8.64e15 + 1, -1e20, "0"), fc.jsonValue()),
              fc.oneof(fc.string({ maxLength: 20 }), awkwardText(["evt_1"]), fc.jsonValue()),
            )
            .map((pair) => Buffer.from(JSON.stringify(pair)).toString("base64url")),
          fc.string({ maxLength: 40 }),
        ),
      },
    },
    {
      template: "/v1/apps/{app}/events/replay",
      credential: "server-key",
      methods: ["POST"],
      body: fc.record(
        {
          status: fc.constantFrom("failed", "expired", "completed", "queued"),
          since: fc.constantFrom("2026-01-01T00:00:00Z", "yesterday"),
          until: fc.constantFrom("2099-01-01T00:00:00+02:00", "0"),
        },
        { requiredKeys: ["status"] },
      ),
    },
    { template: "/v1/apps/{app}/events/{event}", credential: "server-key", methods: ["GET"] },
    { template: "/v1/apps/{app}/events/{event}/replay", credential: "server-key", methods: ["POST"] },
    { template: "/v1/apps", credential: "server-key", methods: ["GET", "POST"], body: appChange },
  ];
}

function filled(template: string, segments: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  return fc
    .tuple(...names.map((name) => segments[name] as fc.Arbitrary<string>))
    .map((values) => values.reduce((path, value) => path.replace(/\{\w+\}/, value), template));
}

/**
 * Requests any client could send, with the fuzzed app's credentials or none: never the
 * bystander's, whose API key may by design unregister the bystander's devices. The bystander's
 * identifiers and auth token are used everywhere, to try reaching its data from the fuzzed app.
 * Two in three requests are well-formed, so that they get past the HTTP parser and the router
 * to the handlers; the others are spoiled anywhere.
 */
async function clientRequests(world: FuzzWorld): Promise<fc.Arbitrary<RawRequest>> {
  const { target, bystander } = world;
  const ownUser = "fuzz-user";
  const userIds = [ownUser, "u1", bystander.userId];
  const deviceIds = ["fuzz-device", bystander.deviceId];
  const pushTokens = [bystander.pushToken, "fuzz-token-1", "fuzz-token-2"];
  const authTokens = [bystander.authToken, await authToken(target.server_key, ownUser), "x.y.z"];
  const ids = [...userIds, ...deviceIds, bystander.channelId, bystander.pushToken];
  const routes = clientRoutes({ userIds, deviceIds, pushTokens, authTokens, ids });
  const anyValue = fieldValue([
    ...ids,
    ...authTokens,
    ...providers,
    "apns_voip",
    "web",
    "calls",
    "f".repeat(4097),
    "with space",
    target.id,
    bystander.app.id,
  ]);
  /** Now and then a field more, of a name the route knows or not, of any value. */
  const withStrayField = (body: fc.Arbitrary<Record<string, unknown>>) =>
    fc.oneof(
      { weight: 4, arbitrary: body },
      fc
        .tuple(
          body,
          fc.constantFrom("user_id", "token", "enabled", "all", "name", "__proto__", "x"),
          anyValue,
        )
        .map(([fields, name, value]) => ({ ...fields, [name]: value })),
    );

  const wellFormedSegments: Record<string, fc.Arbitrary<string>> = {
    me: fc.constant("@me"),
    app: fc.oneof({ weight: 4, arbitrary: fc.constant(target.id) }, fc.constant(bystander.app.id)),
    user: fc.constantFrom(...userIds),
    channel: fc.constantFrom("c1", bystander.channelId),
    kind: fc.constantFrom("server-key", "event-secret", "webhook-secret", "api-key"),
    event: fc.constantFrom(bystander.eventId, "batch", "evt-unknown"),
  };
  const presented: Record<Credential, [string, string]> = {
    "api-key": ["x-api-key", target.api_key],
    session: ["authorization", `Bearer ${sessionToken}`],
    "server-key": ["authorization", `Bearer ${target.server_key}`],
  };
  const wellFormed = fc
    .constantFrom(...routes)
    .chain((route) =>
      fc.record({
        method: fc.constantFrom(...route.methods),
        path: filled(route.template, wellFormedSegments),
        body: route.body ? withStrayField(route.body) : fc.constant(undefined),
        query: route.query
          ? fc
              .record(route.query, { requiredKeys: [] })
              .map((parameters) => `?${new URLSearchParams(parameters as Record<string, string>)}`)
          : fc.constant(""),
        route: fc.constant(route),
      }),
    )
    .map(({ method, path, body, query, route }): RawRequest => {
      const headers: [string, string][] = [presented[route.credential]];
      if (body !== undefined) headers.push(["content-type", "application/json"]);
      return {
        method,
        target: `${path}${query}`,
        headers,
        body: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
      };
    });

  const spoiledSegments: Record<string, fc.Arbitrary<string>> = {
    me: pathSegment(["@me", "%40me", bystander.userId]),
    app: fc.oneof({ weight: 4, arbitrary: fc.constant(target.id) }, pathSegment([bystander.app.id])),
    user: pathSegment(userIds),
    channel: pathSegment(["c1", bystander.channelId]),
    kind: pathSegment(["server-key", "event-secret", "webhook-secret"]),
    event: pathSegment([bystander.eventId, "batch", "replay"]),
  };
  const credentials = (natural: Credential): fc.Arbitrary<[string, string][]> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant<[string, string][]>([presented[natural]]) },
      fc.subarray(Object.values(presented)),
      fc
        .tuple(
          fc.constantFrom("authorization", "x-api-key"),
          headerValue(["Bearer ", "Bearer sess_", "Bearer sk_", "Basic Zm9vOmJhcg==", "pk_", ...authTokens]),
        )
        .map((header) => [header]),
    );
  const spoiled = fc
    .constantFrom(...routes)
    .chain((route) =>
      fc.record({
        method: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom(...route.methods, "GET", "POST", "PUT", "DELETE", "PATCH"),
          },
          fc.constantFrom("HEAD", "OPTIONS", "TRACE", "put"),
          fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 10 }),
        ),
        path: filled(route.template, spoiledSegments),
        suffix: fc.oneof(
          { weight: 8, arbitrary: fc.constant("") },
          pathSegment(ids).map((segment) => `/${segment}`),
        ),
        query: queryString,
        credentials: credentials(route.credential),
        body: fc.oneof(
          bodyBytes(withStrayField(route.body ?? fc.constant({}))),
          fc.constant(Buffer.alloc(0)),
        ),
        content: contentHeaders,
        stray: fc.array(strayHeader, { maxLength: 2 }),
      }),
    )
    .map(
      ({ method, path, suffix, query, credentials, body, content, stray }): RawRequest => ({
        method,
        target: `${path}${suffix}${query}`,
        headers: [...credentials, ...content, ...stray],
        body,
      }),
    );
  return fc.oneof({ weight: 2, arbitrary: wellFormed }, spoiled);
}

describe("fuzz: the client API", function () {
  this.timeout(180_000);
  let world: FuzzWorld;
  let session: SignedIn;
  // X-Forwarded-For is read as the client's address, which keys the rate limits: fuzzed too.
  // Private webhook targets are refused, so that the SSRF check is on the fuzzed path.
  useFuzzWorld({ TRUST_PROXY: true, ALLOW_PRIVATE_WEBHOOK_TARGETS: false }, (started) => {
    world = started;
  });
  let signIns = 0;
  /** A new session for the next user: fuzzed sign-ins as `fuzz-user` spend that user's sign-in budget. */
  function newSession(): Promise<SignedIn> {
    signIns += 1;
    return signIn(world.gw, world.target, `session-holder-${signIns}`);
  }
  before(async () => {
    session = await newSession();
  });

  /** The session, or a new one when a fuzzed request signed it out. */
  async function sessionStillOpen(): Promise<SignedIn> {
    const check = await world.gw.request("GET", "/v1/users/@me/devices", { token: session.token });
    return check.status === 401 ? newSession() : session;
  }

  it("answers any request to sessions, devices, settings, channels and app routes without a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(await clientRequests(world), async (generated) => {
        const request = {
          ...generated,
          headers: generated.headers.map(([name, value]): [string, string] => [
            name,
            value.replaceAll(sessionToken, session.token),
          ]),
        };
        const answer = await expectClientOutcome(world, request);
        if (request.method === "DELETE" && answer.status < 300) session = await sessionStillOpen();
      }),
      fuzzParameters(400),
    );
  });
});
