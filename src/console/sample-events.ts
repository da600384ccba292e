import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type LiveEvent, liveEventSchema } from "../domain/events/live-event.js";
import { isTemplateEventType, type TemplateEventType } from "../domain/templates/template.js";
import { packagePath } from "../runtime/package-root.js";

/** One of the packaged sample events, named after its file (`03-message.created.text.json` → `message.created.text`). */
export interface SampleEvent {
  name: string;
  event: LiveEvent;
}

// From the package root, like the demo's samples.
const packagedSamples = packagePath("webhook-samples", "events");

/** The packaged sample events that have a wording, per event type, read once when the console starts. */
export function loadSampleEvents(dir = packagedSamples): Map<TemplateEventType, SampleEvent[]> {
  const byType = new Map<TemplateEventType, SampleEvent[]>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".json")) continue;
    const event = liveEventSchema.parse(JSON.parse(readFileSync(path.join(dir, file), "utf8")));
    if (!isTemplateEventType(event.type)) continue;
    const name = file.replace(/^\d+-/, "").replace(/\.json$/, "");
    byType.set(event.type, [...(byType.get(event.type) ?? []), { name, event }]);
  }
  return byType;
}
