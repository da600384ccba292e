export * from "./apps.js";
