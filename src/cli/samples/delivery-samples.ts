import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ChannelRepository } from "../../domain/channels/channel-repository.js";
import { type LiveEvent, liveEventSchema } from "../../domain/events/live-event.js";
import { builtInLocale } from "../../domain/templates/locale.js";
import { proposeNotification } from "../../pipeline/stages/proposal.js";
import { buildDeliveryBody, type WebhookDelivery } from "../../webhooks/delivery-body.js";
import { UserError } from "../user-error.js";

const refuseWrite = () => Promise.reject(new Error("samples keep no channel membership"));

/** Each sample stands alone: its recipients come from its own `member_ids` / `recipient_ids`. */
const emptyMembership: ChannelRepository = {
  members: async () => [],
  replaceMembers: refuseWrite,
  addMember: refuseWrite,
  removeMember: refuseWrite,
  deleteChannel: refuseWrite,
};

/**
 * What the event processor forwards in webhook mode; samples have no toggles, so every recipient
 * is in it, and no settings, so none has a locale of their own and the app's default is the built-in one.
 */
export async function deliveryFor(event: LiveEvent): Promise<WebhookDelivery> {
  const { notification, recipients } = await proposeNotification("app_samples", event, emptyMembership);
  return buildDeliveryBody(event, { notification, recipientIds: recipients }, builtInLocale);
}

export interface SampleText {
  /** The file name, the same under `events/` and `deliveries/`. */
  name: string;
  text: string;
}

export const sampleFolders = {
  events: "events",
  deliveries: "deliveries",
  /** One status callback body per type, made by `generateCallbackSamples`. */
  callbacks: "callbacks",
  responses: "responses",
  /** Bodies of the notification-settings `PUT`s: `user*.json` the user's, `channel*.json` a channel's. */
  settings: "settings",
} as const;

export async function jsonFileNames(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((name) => name.endsWith(".json")).sort();
}

/** What `deliveries/` must hold for the events under `samplesDir/events/`, from the pipeline's own code. */
export async function generateDeliverySamples(samplesDir: string): Promise<SampleText[]> {
  const eventsDir = path.join(samplesDir, sampleFolders.events);
  const names = await jsonFileNames(eventsDir).catch(() => {
    throw new UserError(`${eventsDir}: no such folder; give the samples folder that holds events/`);
  });
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(eventsDir, name);
      const event = parseSampleEvent(file, await readFile(file, "utf8"));
      return { name, text: `${JSON.stringify(await deliveryFor(event), null, 2)}\n` };
    }),
  );
}

function parseSampleEvent(file: string, text: string): LiveEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = liveEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${file}: not a live event: ${issue?.path.join(".") || "(event)"} ${issue?.message}`);
  }
  return parsed.data;
}
