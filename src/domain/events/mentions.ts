import type { LiveEvent } from "./live-event.js";

export interface Mentions {
  mentionedUserIds: string[];
  /** `@channel`, `@here`: every member is mentioned. */
  mentionsEveryone: boolean;
}

/** Whom a message mentions; other events mention nobody, whatever their `message` says. */
export function mentionsOf(event: LiveEvent): Mentions {
  if (event.type !== "message.created") return { mentionedUserIds: [], mentionsEveryone: false };
  return {
    mentionedUserIds: event.message.mentioned_user_ids ?? [],
    mentionsEveryone: event.message.mentions_everyone ?? false,
  };
}
