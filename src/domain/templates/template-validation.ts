import Mustache from "mustache";
import { InvalidInputError } from "../errors.js";
import {
  canonicalLocaleKeys,
  type LocaleWording,
  type NotificationTemplate,
  type TemplateError,
} from "./template.js";
import { isTemplateVariable } from "./template-context.js";

/** Mustache's parse tree: [kind, name or text, start, end, children?]. */
type Token = [string, string, number, number, Token[]?];

const wordingFields: readonly (keyof LocaleWording)[] = ["title", "body", "burst_body"];

/** A name is known as it stands, or relative to a section it is inside (`{{#actor}}{{name}}{{/actor}}`). */
function isKnown(name: string, sections: readonly string[]): boolean {
  if (name === ".") return true;
  return isTemplateVariable(name) || sections.some((section) => isTemplateVariable(`${section}.${name}`));
}

function tokenErrors(tokens: Token[], sections: string[], path: string): TemplateError[] {
  const errors: TemplateError[] = [];
  for (const [kind, name, , , children] of tokens) {
    if (kind === "text") continue;
    if (kind === ">") {
      errors.push({ path, message: `partials ({{> ${name}}}) are not supported` });
      continue;
    }
    if (!isKnown(name, sections)) errors.push({ path, message: `unknown variable "${name}"` });
    if (children) errors.push(...tokenErrors(children, [...sections, name], path));
  }
  return errors;
}

/** Parse errors and unknown variables of one Mustache text. */
export function textErrors(text: string, path: string): TemplateError[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text) as Token[];
  } catch (error) {
    return [{ path, message: error instanceof Error ? error.message : String(error) }];
  }
  return tokenErrors(tokens, [], path);
}

/** Every error of a template's texts, each with its path (`locales.fr.title`): a typo never becomes an empty notification. */
export function templateErrors(template: NotificationTemplate): TemplateError[] {
  return Object.entries(template.locales).flatMap(([locale, wording]) =>
    wordingFields.flatMap((field) => {
      const text = wording[field];
      return text === undefined ? [] : textErrors(text, `locales.${locale}.${field}`);
    }),
  );
}

/**
 * A parsed template with canonical locale keys, or an `InvalidInputError` listing every error
 * under `prefix`: a bad locale key, a text that does not parse, a variable the context does not have.
 */
export function checkedTemplate(template: NotificationTemplate, prefix = ""): NotificationTemplate {
  const { locales, errors } = canonicalLocaleKeys(template.locales);
  // Checked as sent, so that each path names the key the client wrote.
  const all: TemplateError[] = [...errors, ...templateErrors(template)];
  if (all.length > 0) {
    throw new InvalidInputError(
      "the template has errors",
      all.map((error) => ({ path: prefix + error.path, message: error.message })),
    );
  }
  return { ...template, locales };
}

/** Whether any text of the template names a variable of `names` (or a section opened on one). */
export function templateNames(template: NotificationTemplate, names: readonly string[]): boolean {
  const mentions = (tokens: Token[]): boolean =>
    tokens.some(
      ([kind, name, , , children]) =>
        (kind !== "text" && names.some((wanted) => name === wanted || name.startsWith(`${wanted}.`))) ||
        (children !== undefined && mentions(children)),
    );
  // A stored text that does not parse names nothing: its rendering falls back to the built-in wording.
  const textNames = (text: string): boolean => {
    try {
      return mentions(Mustache.parse(text) as Token[]);
    } catch {
      return false;
    }
  };
  return Object.values(template.locales).some((wording) =>
    wordingFields.some((field) => {
      const text = wording[field];
      return text !== undefined && textNames(text);
    }),
  );
}
