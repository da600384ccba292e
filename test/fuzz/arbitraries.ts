import fc from "fast-check";

/** The UTF-8 bytes of `text`, one latin-1 character each: what `sendRaw` puts on the wire unchanged. */
export function utf8Bytes(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** What the gateway's body limit allows, a little under `HTTP_BODY_LIMIT_BYTES` (1 MiB). */
const largestBodyBytes = 1_000_000;

/** Percent-encoded UTF-8, a lone surrogate as U+FFFD (as every UTF-8 encoder writes it). */
export function percentEncoded(text: string): string {
  return encodeURIComponent(Buffer.from(text, "utf8").toString("utf8"));
}

/**
 * Text that storage layers, logs and terminals trip over: NUL (PostgreSQL refuses it in text),
 * other control characters, terminal escapes, lone surrogates, a BOM, direction overrides, line
 * separators — alone or after a value the gateway knows.
 */
export function awkwardText(known: string[]): fc.Arbitrary<string> {
  const awkward = fc.constantFrom(
    "\u0000",
    "\u0007",
    "\u001b[2J",
    "\u007f",
    "\u0085",
    "\ud800",
    "\ufeff",
    "\u202e",
    "\u2028",
    "💥",
    " ",
  );
  return fc.oneof(
    awkward,
    fc.tuple(fc.constantFrom(...known), awkward).map(([value, suffix]) => `${value}${suffix}`),
    fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 12 }),
  );
}

/**
 * One path segment as a hostile client writes it: a known value, awkward or any text
 * (percent-encoded, or as raw UTF-8), raw control characters, broken percent-encoding,
 * dot segments, or far longer than any id.
 */
export function pathSegment(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...known) },
    { weight: 3, arbitrary: awkwardText(known).map(percentEncoded) },
    fc.string({ unit: "binary", maxLength: 24 }).map(percentEncoded),
    fc.string({ unit: "binary", maxLength: 24 }).map(utf8Bytes),
    fc.string({ unit: "binary-ascii", maxLength: 24 }),
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "%",
        "%E0%A4%A",
        "%zz",
        "%00",
        "%2F",
        "%2e%2e",
        "..",
        ".",
        "%C0%AF",
        "%FF%FE",
        "",
      ),
    },
    fc.integer({ min: 257, max: 12_000 }).map((length) => "i".repeat(length)),
  );
}

/** A header value: a known one, printable junk, raw control and latin-1 bytes, or very long. */
export function headerValue(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...known) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }).map(utf8Bytes),
    fc.integer({ min: 100, max: 20_000 }).map((length) => "h".repeat(length)),
  );
}

/** `Content-Type` and `Content-Encoding` as clients get them right, and now and then wrong. */
export const contentHeaders: fc.Arbitrary<[string, string][]> = fc
  .tuple(
    fc.oneof(
      { weight: 12, arbitrary: fc.constant("application/json") },
      fc.constant(undefined),
      fc.constantFrom(
        "application/json; charset=utf-8",
        "application/json; charset=latin1",
        "application/json; charset=utf-16",
        "application/problem+json",
        "application/vnd.api+json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
        "json",
      ),
    ),
    fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      fc.constantFrom("gzip", "deflate", "br", "identity", "compress", "gzip, gzip", "x"),
    ),
  )
  .map(([type, encoding]) => [
    ...(type === undefined ? [] : [["content-type", type] as [string, string]]),
    ...(encoding === undefined ? [] : [["content-encoding", encoding] as [string, string]]),
  ]);

/** A query string: usually none, else printable, else raw bytes. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map((text) => `?${text}`) },
  fc.string({ unit: "binary-ascii", maxLength: 30 }).map((text) => `?${text}`),
);

/** Any header at all, by a name a client might send and one nobody would. */
export const strayHeader: fc.Arbitrary<[string, string]> = fc.tuple(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        "x-forwarded-for",
        "x-request-id",
        "cookie",
        "accept",
        "accept-encoding",
        "origin",
        "range",
        "if-none-match",
        "x-http-method-override",
        "forwarded",
      ),
    },
    fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 16 }),
  ),
  headerValue(["203.0.113.5, 10.0.0.1", "::1", "2001:db8::1", "unknown", "pushgate_admin=1.x", "bytes=0-1"]),
);

/** Arrays or objects nested `depth` levels deep, far past what the gateway allows (32). */
export const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 30, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** A body as bytes: JSON of any shape, deep nesting, a huge string, or not JSON at all. */
export function bodyBytes(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((value) => Buffer.from(JSON.stringify(value) ?? "null")) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 6 }).map((text) => Buffer.from(text)) },
    deepNesting.map((text) => Buffer.from(text)),
    fc
      .integer({ min: 10_000, max: largestBodyBytes - 16 })
      .map((length) => Buffer.from(JSON.stringify({ id: "x".repeat(length) }))),
    fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(Buffer.alloc(0)),
  );
}

/** A JSON value that is usually of a type the gateway expects somewhere, and often not here. */
export function fieldValue(known: string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.string({ unit: "binary", maxLength: 30 }),
    { weight: 2, arbitrary: awkwardText(known) },
    fc.array(fc.oneof(fc.constantFrom(...known), awkwardText(known)), { maxLength: 5 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
}
