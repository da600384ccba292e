export * from "./apps.js";
export * from "./devices.js";
export * from "./events.js";
export * from "./notification-settings.js";
export * from "./sessions.js";
