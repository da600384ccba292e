import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { pino } from "pino";
import { startTestGateway, type TestGateway } from "../support/test-gateway.js";

/** A logger whose error lines the test can read. */
function recordingLogger() {
  const errors: string[] = [];
  const logger = pino(
    { level: "error" },
    {
      write(line: string) {
        errors.push(line);
      },
    },
  );
  return { logger, errors };
}

describe("security: a client's malformed request is its error, never the gateway's", () => {
  let gw: TestGateway;
  let errors: string[];

  before(async () => {
    const recording = recordingLogger();
    errors = recording.errors;
    gw = await startTestGateway({}, recording.logger);
  });
  after(() => gw.close());
  beforeEach(() => {
    errors.length = 0;
  });

  it("answers 400 for a path that is not valid percent-encoding, and logs no error", async () => {
    const response = await gw.request("GET", "/v1/apps/%E0%A4%A", { token: gw.adminToken });
    expect(response.status).to.equal(400);
    expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(response.body).to.include({ status: 400 });
    expect(errors).to.deep.equal([]);
  });

  it("answers 400 for a gzip body that does not inflate, and logs no error", async () => {
    const corrupt = gzipSync(Buffer.from('{"name":"Acme"}')).subarray(0, 12);
    const response = await gw.request("POST", "/v1/apps", {
      token: gw.adminToken,
      rawBody: corrupt,
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    expect(response.status).to.equal(400);
    expect(response.body).to.include({ status: 400 });
    expect(errors).to.deep.equal([]);
  });
});
