import {
  previewResponseSchema,
  previewTemplateSchema,
  putTemplateSchema,
  templateListResponseSchema,
  templateResponseSchema,
} from "../../schemas/templates.js";
import type { NamedSchema, Operation, OperationResponse } from "../operation.js";
import { invalidRequest } from "./problems.js";

const tag = "Templates";
const path = "/v1/apps/{app_id}/templates/{event_type}";
const template: NamedSchema = { name: "Template", schema: templateResponseSchema };
const unknownType: OperationResponse = {
  ...invalidRequest,
  description: "`event_type` has no wording (its `errors` name `event_type`), or the body is invalid",
};

/** The app's wording of its notifications, per event type and locale (docs/api.md §12). */
export const templateOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/apps/{app_id}/templates",
    tag,
    access: "app",
    summary: "List the templates of every event type",
    responses: {
      200: {
        description: "Each event type's stored template, or its built-in wording (`built_in: true`)",
        body: { name: "TemplateList", schema: templateListResponseSchema },
      },
    },
  },
  {
    method: "get",
    path,
    tag,
    access: "app",
    summary: "Read the template of an event type",
    responses: {
      200: { description: "The stored template, or the built-in English wording", body: template },
      400: unknownType,
    },
  },
  {
    method: "put",
    path,
    tag,
    access: "app",
    summary: "Store the template of an event type",
    description:
      "Mustache without HTML escaping, per locale (BCP 47, kept in canonical form). A text that does not " +
      "parse, a partial, a variable the context does not have, or a locale that is not a BCP 47 tag is a " +
      "400 whose `errors` name each path (`locales.fr.title`); nothing is stored.",
    body: { name: "NotificationTemplate", schema: putTemplateSchema },
    responses: { 200: { description: "The stored template", body: template }, 400: unknownType },
  },
  {
    method: "delete",
    path,
    tag,
    access: "app",
    summary: "Return an event type to the built-in wording",
    responses: {
      204: { description: "The built-in wording applies, whether a template was stored or not" },
      400: unknownType,
    },
  },
  {
    method: "post",
    path: "/v1/apps/{app_id}/templates/preview",
    tag,
    access: "app",
    summary: "Render a template for a sample event, without sending",
    description:
      "Renders the stored template of the event's type, or the draft `template` (checked like a `PUT`), for " +
      "a recipient of `locale`: the template's locale of that tag, else of that language, else of the app's " +
      "default locale, else the built-in English wording. Title and body are cut as a send cuts them.",
    body: { name: "TemplatePreview", schema: previewTemplateSchema },
    responses: {
      200: {
        description: "What the notification would say",
        body: { name: "RenderedTemplate", schema: previewResponseSchema },
      },
    },
  },
];
