import { InvalidArgumentError } from "commander";

/** A commander argument parser: a whole number of at least 1. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("must be a positive integer");
  return parsed;
}

/** A commander argument parser: a comma-separated list of some of `known`. */
export function namesFrom<Name extends string>(known: readonly Name[]): (value: string) => Name[] {
  return (value) => {
    const names = value.split(",").map((name) => name.trim());
    const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
    if (unknown.length > 0) throw new InvalidArgumentError(`unknown: ${unknown.join(", ")}`);
    return names as Name[];
  };
}
