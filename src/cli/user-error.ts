/** A failure the user can fix from its message alone: printed as one line, exit code 1. */
export class UserError extends Error {
  override name = "UserError";
}

/**
 * A server that cannot listen where it was told to becomes a `UserError` naming the
 * address and the settings that choose it (`choosers`); any other error stays as it is.
 */
export function listenError(error: unknown, choosers: string): unknown {
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  const where = address === undefined ? "" : ` ${address}:${port}`;
  if (code === "EADDRINUSE") {
    return new UserError(`cannot listen on${where}: the port is taken; choose another with ${choosers}`);
  }
  if (code === "EADDRNOTAVAIL" || code === "EACCES") {
    return new UserError(`cannot listen on${where} (${code}); choose another address with ${choosers}`);
  }
  return error;
}
