import type { LocaleWording, TemplateEventType } from "./template.js";

/**
 * The wording of every app without a template of its own (docs/api.md, direct push), in
 * English, written as templates so that one renderer serves both.
 */
export const builtInWording: Readonly<Record<TemplateEventType, Required<LocaleWording>>> = {
  "channel.created": {
    title: "{{channel.name}}",
    body: "You're now member of {{channel.name}}!",
    burst_body: "{{count}} new notifications",
  },
  "channel.member_joined": {
    title: "{{actor.name}}",
    body: "{{actor.name}} has joined {{channel.name}}",
    burst_body: "{{count}} new notifications",
  },
  "message.created": {
    title: "{{actor.name}} ({{channel.name}})",
    body:
      "{{#message.is_text}}{{message.text}}{{/message.is_text}}" +
      "{{#message.is_image}}Image Message{{/message.is_image}}" +
      "{{^message.is_text}}{{^message.is_image}}Special message{{/message.is_image}}{{/message.is_text}}",
    burst_body: "{{count}} new messages",
  },
  "call.ringing": {
    title: "{{actor.name}}",
    body: "Incoming {{call.kind}} call",
    burst_body: "{{count}} calls",
  },
  "notification.custom": {
    title: "{{notification.title}}",
    body: "{{notification.body}}",
    burst_body: "{{count}} new notifications",
  },
};
