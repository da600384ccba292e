import { z } from "zod";
import { pathParameters } from "./catalog/parameters.js";
import type { Operation } from "./operation.js";
import { securityOf, securitySchemes } from "./security.js";

type JsonSchema = Record<string, unknown>;

const problemSchema = z.object({
  type: z.string().describe("`urn:pushgate:problem:<slug>`"),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe("What is wrong with the request, field by field"),
});

/** A request schema as its senders see it: defaults make fields optional, transforms are not run. */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

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

function responsesOf(operation: Operation): Record<string, JsonSchema> {
  const problem = { "application/problem+json": { schema: schemaRef("Problem") } };
  const responses: Record<string, JsonSchema> = {};
  for (const [status, description] of Object.entries(operation.responses)) {
    const code = Number(status);
    if (code >= 400) responses[status] = { description, content: problem };
    else if (code === 204 || (code >= 300 && code < 400)) responses[status] = { description };
    else responses[status] = { description, content: { [operation.produces ?? "application/json"]: {} } };
  }
  responses.default = { description: "An error, as RFC 9457 problem details", content: problem };
  return responses;
}

/**
 * The OpenAPI 3.1 document of the given operations. Request schemas are converted from
 * the zod schemas the routes validate with, so the reference cannot drift from them.
 */
export function openApiDocument(operations: Operation[], version: string) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const bodySchemas = new Map<string, z.ZodType>();
  const tags: string[] = [];
  for (const operation of operations) {
    paths[operation.path] ??= {};
    const item = paths[operation.path] as Record<string, JsonSchema>;
    if (item[operation.method]) throw new Error(`${operation.method} ${operation.path} is listed twice`);
    if (!tags.includes(operation.tag)) tags.push(operation.tag);
    const { body } = operation;
    if (body) {
      const known = bodySchemas.get(body.name);
      if (known && known !== body.schema) throw new Error(`two different request schemas named ${body.name}`);
      bodySchemas.set(body.name, body.schema);
    }
    item[operation.method] = {
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.description && { description: operation.description }),
      security: securityOf[operation.access],
      parameters: parametersOf(operation),
      ...(body && {
        requestBody: {
          required: body.required ?? true,
          content: { "application/json": { schema: schemaRef(body.name) } },
        },
      }),
      responses: responsesOf(operation),
    };
  }
  const schemas = Object.fromEntries([...bodySchemas].map(([name, schema]) => [name, jsonSchemaOf(schema)]));
  return {
    openapi: "3.1.1",
    info: {
      title: "Pushgate",
      version,
      description:
        "Self-hosted webhook relay and outbound push gateway. Errors are RFC 9457 `application/problem+json`.",
    },
    tags: tags.map((name) => ({ name })),
    paths,
    components: { schemas: { ...schemas, Problem: jsonSchemaOf(problemSchema) }, securitySchemes },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
