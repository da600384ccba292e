import { z } from "zod";

/** The language of the built-in wording, the last fallback of every recipient. */
export const builtInLocale = "en";

/** BCP 47 tags are short; a bound keeps a stored or sent one from being anything else. */
const maxLocaleLength = 35;

/** The canonical form of a BCP 47 tag (`fr-ca` → `fr-CA`), or null when it is not one. */
export function canonicalLocale(tag: string): string | null {
  if (tag.length === 0 || tag.length > maxLocaleLength) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** A locale as clients send it: checked with `Intl`, kept in its canonical form. */
export const localeSchema = z
  .string()
  .max(maxLocaleLength, `must be at most ${maxLocaleLength} characters`)
  .transform((tag, context) => {
    const canonical = canonicalLocale(tag);
    if (canonical === null) {
      context.addIssue({
        code: "custom",
        message: `"${tag}" is not a BCP 47 language tag, such as fr or fr-CA`,
      });
      return z.NEVER;
    }
    return canonical;
  });

function languageOf(tag: string): string {
  return (tag.split("-")[0] as string).toLowerCase();
}

/** `wanted` among `available`: the same tag, else a tag of the same language (`fr-CA` → `fr`). */
function closest(wanted: string, available: readonly string[]): string | null {
  const exact = available.find((tag) => tag.toLowerCase() === wanted.toLowerCase());
  if (exact) return exact;
  const language = languageOf(wanted);
  return (
    available.find((tag) => tag.toLowerCase() === language) ??
    available.find((tag) => languageOf(tag) === language) ??
    null
  );
}

/**
 * Which of a template's locales a recipient gets: their own (device, else user) by tag then by
 * language, else the app's default the same way; null means the built-in English wording.
 */
export function matchLocale(
  wanted: string | null,
  available: readonly string[],
  appDefault: string,
): string | null {
  return (wanted === null ? null : closest(wanted, available)) ?? closest(appDefault, available);
}
