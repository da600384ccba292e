import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../user-error.js";

/** The JSON files named, folders standing for the `.json` files directly in them, in name order. */
export async function collectJsonFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => {
      throw new UserError(`${given}: no such file or folder`);
    });
    if (!info.isDirectory()) {
      files.push(given);
      continue;
    }
    const names = (await readdir(given)).filter((name) => name.endsWith(".json")).sort();
    if (names.length === 0) throw new UserError(`${given}: no .json files in this folder`);
    files.push(...names.map((name) => path.join(given, name)));
  }
  return files;
}

export async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
}
