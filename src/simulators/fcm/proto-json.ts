import { isRecord } from "../http-exchange.js";
import { type GoogleError, invalidArgument } from "./google-errors.js";

/**
 * The type of one field of a protobuf message, as Google's JSON transcoding reads it
 * (https://protobuf.dev/programming-guides/json/).
 */
export type FieldType =
  | { kind: "string" | "bool" | "int32" | "float" | "duration" | "timestamp" | "stringMap" | "struct" }
  | { kind: "enum"; name: string; values: readonly string[] }
  | { kind: "message"; schema: MessageSchema }
  | { kind: "repeated"; item: FieldType };

/** A protobuf message: its full name and its fields under their proto (snake_case) names. */
export interface MessageSchema {
  name: string;
  fields: Record<string, FieldType>;
}

export const string: FieldType = { kind: "string" };
export const bool: FieldType = { kind: "bool" };
export const int32: FieldType = { kind: "int32" };
export const float: FieldType = { kind: "float" };
export const duration: FieldType = { kind: "duration" };
export const timestamp: FieldType = { kind: "timestamp" };
export const stringMap: FieldType = { kind: "stringMap" };
/** `google.protobuf.Struct`: any JSON object. */
export const struct: FieldType = { kind: "struct" };
export const repeated = (item: FieldType): FieldType => ({ kind: "repeated", item });
export const message = (schema: MessageSchema): FieldType => ({ kind: "message", schema });
export const enumeration = (name: string, values: readonly string[]): FieldType => ({
  kind: "enum",
  name,
  values,
});

const durationText = /^\d+(\.\d{1,9})?s$/;
const timestampText = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const int32Range = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * The first error Google's JSON parser finds in `value`, read as a `schema` message at `path`
 * (e.g. `message.android`), or `undefined`. Fields are known under their proto name and their
 * lowerCamelCase JSON name alike; `null` leaves a field unset.
 */
export function checkMessage(value: unknown, schema: MessageSchema, path: string): GoogleError | undefined {
  if (!isRecord(value)) return invalidValue(path, typeUrl(schema.name), value);
  for (const [name, fieldValue] of Object.entries(value)) {
    const field = fieldNamed(schema, name);
    if (!field) return invalidJson(path, `Unknown name "${name}" at '${path}': Cannot find field.`);
    if (fieldValue === null) continue;
    if (Array.isArray(fieldValue) && field.type.kind !== "repeated") {
      return invalidJson(
        path,
        `Unknown name "${name}" at '${path}': Proto field is not repeating, cannot start list.`,
      );
    }
    const problem = checkField(fieldValue, field.type, `${path}.${field.protoName}`);
    if (problem) return problem;
  }
  return undefined;
}

function checkField(value: unknown, type: FieldType, path: string): GoogleError | undefined {
  switch (type.kind) {
    case "string":
      return typeof value === "string" ? undefined : invalidValue(path, "TYPE_STRING", value);
    case "bool":
      return typeof value === "boolean" ? undefined : invalidValue(path, "TYPE_BOOL", value);
    case "int32":
      return isInt32(value) ? undefined : invalidValue(path, "TYPE_INT32", value);
    case "float":
      return isFloat(value) ? undefined : invalidValue(path, "TYPE_FLOAT", value);
    case "duration":
      return typeof value === "string" && durationText.test(value)
        ? undefined
        : invalidValue(path, typeUrl("google.protobuf.Duration"), value);
    case "timestamp":
      return typeof value === "string" && timestampText.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : invalidValue(path, typeUrl("google.protobuf.Timestamp"), value);
    case "enum":
      return isEnumValue(value, type.values) ? undefined : invalidValue(path, typeUrl(type.name), value);
    case "stringMap":
      return checkStringMap(value, path);
    case "struct":
      return isRecord(value) ? undefined : invalidValue(path, typeUrl("google.protobuf.Struct"), value);
    case "message":
      return checkMessage(value, type.schema, path);
    case "repeated":
      if (!Array.isArray(value)) return checkField(value, type.item, path);
      for (const [index, item] of value.entries()) {
        const problem = checkField(item, type.item, `${path}[${index}]`);
        if (problem) return problem;
      }
      return undefined;
  }
}

/** A `map<string, string>`, unset when `null` or absent: Google names a bad entry by its position. */
export function checkStringMap(value: unknown, path: string): GoogleError | undefined {
  if (value == null) return undefined;
  if (!isRecord(value)) return invalidJson(path, `Expected an object at '${path}'.`);
  const entries = Object.values(value);
  const index = entries.findIndex((entry) => typeof entry !== "string");
  return index === -1 ? undefined : invalidValue(`${path}[${index}].value`, "TYPE_STRING", entries[index]);
}

/** The value of a field of a JSON message, whichever of its two names it was given under. */
export function fieldValue(value: Record<string, unknown>, protoName: string): unknown {
  return value[protoName] ?? value[jsonName(protoName)];
}

const jsonName = (protoName: string) =>
  protoName.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

function fieldNamed(schema: MessageSchema, name: string): { protoName: string; type: FieldType } | undefined {
  const protoName =
    name in schema.fields ? name : name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const type = schema.fields[protoName];
  return type && { protoName, type };
}

/** Integers, or their decimal text, within int32. */
function isInt32(value: unknown): boolean {
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  return (
    Number.isInteger(number) && (number as number) >= int32Range.min && (number as number) <= int32Range.max
  );
}

/** Numbers, their text, and the three names JSON has no literal for. */
function isFloat(value: unknown): boolean {
  if (typeof value === "number") return true;
  return (
    typeof value === "string" &&
    (["NaN", "Infinity", "-Infinity"].includes(value) || /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value))
  );
}

/** An enum value by name (Google ignores its case) or by number. */
function isEnumValue(value: unknown, values: readonly string[]): boolean {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value < values.length;
  return typeof value === "string" && values.includes(value.toUpperCase());
}

const typeUrl = (name: string) => `type.googleapis.com/${name}`;

export function invalidValue(path: string, type: string, value: unknown): GoogleError {
  return invalidArgument(path, `Invalid value at '${path}' (${type}), ${JSON.stringify(value)}`);
}

function invalidJson(path: string, description: string): GoogleError {
  return invalidArgument(path, `Invalid JSON payload received. ${description}`);
}
