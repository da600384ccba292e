import { expect } from "chai";
import type { LiveEvent } from "../../src/domain/events/live-event.js";
import { mergeEdit } from "../../src/pipeline/stages/edit.js";
import { type Notification, renderNotification } from "../../src/pipeline/stages/render.js";

function customEvent(title: string, body: string, data: Record<string, unknown> = {}): LiveEvent {
  return {
    id: "e1",
    type: "notification.custom",
    occurred_at: "2026-11-22T10:00:00Z",
    recipient_ids: ["u2"],
    notification: { title, body },
    data,
  };
}

describe("a customer's edit of the proposed notification", () => {
  const longTitle = "Ünïcödé title ".repeat(40);
  const longBody = "A body with emoji 😀 that goes on. ".repeat(200);
  const data = { route: "/chat/c1", payload: "x".repeat(900) };

  it("cuts a long title and body exactly as a proposal with the same text is cut", () => {
    const proposed = renderNotification(customEvent("Short", "short", data)) as Notification;
    const edited = mergeEdit(
      proposed,
      { title: longTitle, body: longBody },
      customEvent("Short", "short", data),
    );
    const rendered = renderNotification(customEvent(longTitle, longBody, data));
    expect(edited).to.deep.equal(rendered);
    expect(Buffer.byteLength(edited?.title ?? "")).to.be.at.most(250);
  });

  it("leaves room for the customer's own data as for the event's", () => {
    const event = customEvent("Short", "short");
    const proposed = renderNotification(event) as Notification;
    const edited = mergeEdit(proposed, { title: longTitle, body: longBody, data }, event);
    expect(edited).to.deep.equal(renderNotification(customEvent(longTitle, longBody, data)));
  });

  it("keeps the gateway's keys in data over the customer's, and the proposal's fields not edited", () => {
    const event = customEvent("Hi", "there", { route: "/a" });
    const proposed = renderNotification(event) as Notification;
    const edited = mergeEdit(proposed, { data: { event_id: "forged", route: "/b", count: 2 } }, event);
    expect(edited).to.deep.include({ title: "Hi", body: "there", module: "chat", call: false });
    expect(edited?.data).to.deep.equal({
      event_id: "e1",
      event_type: "notification.custom",
      route: "/b",
      count: "2",
    });
  });

  it("is the proposal without an edit, and nothing without any title", () => {
    const event = customEvent("Hi", "there");
    const proposed = renderNotification(event);
    expect(mergeEdit(proposed, undefined, event)).to.equal(proposed);
    expect(mergeEdit(null, { body: "no title" }, event)).to.equal(null);
  });
});
