import { expect } from "chai";
import { createApp, startTestGateway, type TestGateway, type TestResponse } from "../support/test-gateway.js";

function expectNotFound(answer: TestResponse, label: string): void {
  expect(answer.status, label).to.equal(404);
  expect(answer.headers.get("content-type"), label).to.match(/^application\/problem\+json/);
  expect(answer.body.type, label).to.equal("urn:pushgate:problem:not-found");
}

describe("security: a channel's members are its app's alone", () => {
  let gw: TestGateway;

  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.close());

  it("answers 404 to another app's server key, reading or writing, and changes nothing", async () => {
    const owner = await createApp(gw);
    const intruder = await createApp(gw);
    const members = `/v1/apps/${owner.id}/channels/c1/members`;
    const set = await gw.request("PUT", members, {
      token: owner.server_key,
      body: { member_ids: ["u1", "u2"] },
    });
    expect(set.status).to.equal(200);

    expectNotFound(await gw.request("GET", members, { token: intruder.server_key }), "GET");
    expectNotFound(
      await gw.request("PUT", members, { token: intruder.server_key, body: { member_ids: ["intruder"] } }),
      "PUT",
    );
    const after = await gw.request("GET", members, { token: owner.server_key });
    expect(after.body.member_ids).to.have.members(["u1", "u2"]);
  });

  it("answers 404 to the admin token for an app that does not exist", async () => {
    expectNotFound(
      await gw.request("GET", "/v1/apps/app_missing/channels/c1/members", { token: gw.adminToken }),
      "GET",
    );
    expectNotFound(
      await gw.request("PUT", "/v1/apps/app_missing/channels/c1/members", {
        token: gw.adminToken,
        body: { member_ids: ["u1"] },
      }),
      "PUT",
    );
  });
});
