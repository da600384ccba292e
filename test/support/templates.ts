import type { NotificationTemplate } from "../../src/domain/templates/template.js";

/** A message template in English, French and Japanese, with APNs and Android presentation. */
export const threeLanguageTemplate: NotificationTemplate = {
  locales: {
    en: { title: "{{actor.name}} in {{channel.name}}", body: "{{message.text}}" },
    fr: { title: "{{actor.name}} dans {{channel.name}}", body: "Nouveau : {{message.text}}" },
    ja: { title: "{{channel.name}}の{{actor.name}}", body: "新着: {{message.text}}" },
  },
  apns: { sound: "ping.caf", category: "MESSAGE", mutable_content: true },
  android: { channel_id: "messages", sound: "ping" },
};
