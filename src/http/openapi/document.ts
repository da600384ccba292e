import { z } from "zod";
import { problemSchema } from "../schemas/problem.js";
import { pathParameters } from "./catalog/parameters.js";
import { bodyTooLarge, invalidRequest, notJson, unauthorized, unknownApp } from "./catalog/problems.js";
import type { NamedSchema, Operation, OperationResponse, OutboundWebhook } from "./operation.js";
import { securityOf, securitySchemes } from "./security.js";

type JsonSchema = Record<string, unknown>;

const problem: NamedSchema = { name: "Problem", schema: problemSchema };

/**
 * Read as input: a request as its senders see it (defaults make fields optional, transforms
 * are not run). Answers have neither, so read the same, and stay open to new fields.
 */
const conversion = { io: "input", unrepresentable: "any" } as const;

/** A schema converted on its own (parameters): named schemas inside it are not looked for. */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, conversion);
  return rest;
}

/** The named schemas of the document, converted together so that they refer to each other by name. */
class Components {
  private readonly registry = z.registry<{ id: string }>();
  private readonly schemaByName = new Map<string, z.ZodType>();
  private readonly nameBySchema = new Map<z.ZodType, string>();

  ref(named: NamedSchema): JsonSchema {
    const knownSchema = this.schemaByName.get(named.name);
    const knownName = this.nameBySchema.get(named.schema);
    if (knownSchema && knownSchema !== named.schema)
      throw new Error(`two different schemas named ${named.name}`);
    if (knownName && knownName !== named.name)
      throw new Error(`one schema named ${knownName} and ${named.name}`);
    if (!knownSchema) {
      this.schemaByName.set(named.name, named.schema);
      this.nameBySchema.set(named.schema, named.name);
      this.registry.add(named.schema, { id: named.name });
    }
    return { $ref: `#/components/schemas/${named.name}` };
  }

  schemas(): Record<string, JsonSchema> {
    const { schemas } = z.toJSONSchema(this.registry, {
      ...conversion,
      uri: (name) => `#/components/schemas/${name}`,
    });
    return Object.fromEntries(
      Object.entries(schemas).map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [name, schema]),
    );
  }
}

function parametersOf(operation: Operation): JsonSchema[] {
  const inPath = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name = ""]) => {
    const parameter = pathParameters[name];
    if (!parameter) throw new Error(`path parameter ${name} of ${operation.path} is not described`);
    return {
      name,
      in: "path",
      required: true,
      description: parameter.description,
      schema: jsonSchemaOf(parameter.schema),
    };
  });
  if (!operation.query) return inPath;
  const query = jsonSchemaOf(operation.query) as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  const inQuery = Object.entries(query.properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: query.required?.includes(name) ?? false,
    schema,
  }));
  return [...inPath, ...inQuery];
}

function headersOf(answer: OperationResponse): JsonSchema | undefined {
  if (!answer.headers) return undefined;
  return Object.fromEntries(
    Object.entries(answer.headers).map(([name, description]) => [
      name,
      { description, schema: { type: "string" } },
    ]),
  );
}

function responseOf(answer: OperationResponse, content?: JsonSchema): JsonSchema {
  const headers = headersOf(answer);
  return { description: answer.description, ...(headers && { headers }), ...(content && { content }) };
}

/** The problems an operation answers because of what runs before it, unless it lists its own. */
function sharedProblemsOf(operation: Operation): Operation["responses"] {
  const problems: Operation["responses"] = {};
  if (operation.body) Object.assign(problems, { 400: invalidRequest, 413: bodyTooLarge, 415: notJson });
  if (operation.access !== "public") problems[401] = unauthorized;
  if (operation.path.includes("{app_id}")) problems[404] = unknownApp;
  return problems;
}

function responsesOf(operation: Operation, components: Components): Record<string, JsonSchema> {
  const answers = { ...sharedProblemsOf(operation), ...operation.responses };
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(answers)) {
    const code = Number(status);
    if (code >= 400) {
      const schema = components.ref(answer.body ?? problem);
      responses[status] = responseOf(answer, { "application/problem+json": { schema } });
    } else if (answer.body) {
      responses[status] = responseOf(answer, { "application/json": { schema: components.ref(answer.body) } });
    } else if (code === 204 || (code >= 300 && code < 400)) {
      responses[status] = responseOf(answer);
    } else {
      responses[status] = responseOf(answer, { [operation.produces ?? "application/json"]: {} });
    }
  }
  responses.default = {
    description: "An error, as RFC 9457 problem details",
    content: { "application/problem+json": { schema: components.ref(problem) } },
  };
  return responses;
}

function webhookOf(webhook: OutboundWebhook, components: Components): JsonSchema {
  const responses = Object.fromEntries(
    Object.entries(webhook.responses).map(([status, answer]) => [
      status,
      responseOf(answer, answer.body && { "application/json": { schema: components.ref(answer.body) } }),
    ]),
  );
  return {
    post: {
      tags: [webhook.tag],
      summary: webhook.summary,
      description: webhook.description,
      parameters: Object.entries(webhook.headers).map(([name, description]) => ({
        name,
        in: "header",
        required: true,
        description,
        schema: { type: "string" },
      })),
      requestBody: {
        required: true,
        content: { "application/json": { schema: components.ref(webhook.body) } },
      },
      responses,
    },
  };
}

/**
 * The OpenAPI 3.1 document of the given operations and outbound webhooks. Request and
 * answer schemas are converted from the zod schemas the routes validate with and the
 * presenters are typed against, so the reference cannot drift from them.
 */
export function openApiDocument(operations: Operation[], webhooks: OutboundWebhook[], version: string) {
  const components = new Components();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags: string[] = [];
  for (const operation of operations) {
    paths[operation.path] ??= {};
    const item = paths[operation.path] as Record<string, JsonSchema>;
    if (item[operation.method]) throw new Error(`${operation.method} ${operation.path} is listed twice`);
    if (!tags.includes(operation.tag)) tags.push(operation.tag);
    const { body } = operation;
    item[operation.method] = {
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.description && { description: operation.description }),
      security: securityOf[operation.access],
      parameters: parametersOf(operation),
      ...(body && {
        requestBody: {
          required: body.required ?? true,
          content: { "application/json": { schema: components.ref(body) } },
        },
      }),
      responses: responsesOf(operation, components),
    };
  }
  for (const webhook of webhooks) if (!tags.includes(webhook.tag)) tags.push(webhook.tag);
  const webhookItems = Object.fromEntries(
    webhooks.map((webhook) => [webhook.name, webhookOf(webhook, components)]),
  );
  return {
    openapi: "3.1.1",
    info: {
      title: "Pushgate",
      version,
      description:
        "Self-hosted webhook relay and outbound push gateway. Errors are RFC 9457 " +
        "`application/problem+json`; a method a path does not serve answers 405 with `Allow`. " +
        "Every answer carries `X-Request-Id` (the request's own when it sent a valid one).",
    },
    tags: tags.map((name) => ({ name })),
    paths,
    webhooks: webhookItems,
    components: { schemas: components.schemas(), securitySchemes },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
