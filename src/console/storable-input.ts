import type { RequestHandler } from "express";
import { isUnstorableText } from "../domain/json/json-bounds.js";
import { HttpProblem } from "../http/problem.js";
import { holdsControlCharacter } from "../http/routing.js";

/**
 * What no console page can be asked for, refused with a 400 before any handler looks it up: an
 * address with a control character (no id holds one), a query value with a NUL or an unpaired
 * surrogate (PostgreSQL refuses a NUL in any text, and answered a lookup with an error).
 */
export const storableInput: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new HttpProblem(400, "validation", "the address is not valid percent-encoding");
  }
  if (holdsControlCharacter(path)) {
    throw new HttpProblem(400, "validation", "the address holds a control character, which no id holds");
  }
  for (const [name, value] of Object.entries(req.query)) {
    if ([value].flat().some((text) => typeof text === "string" && isUnstorableText(text))) {
      throw new HttpProblem(400, "validation", `${name} holds a NUL or an unpaired surrogate`);
    }
  }
  next();
};
