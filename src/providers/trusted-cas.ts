import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";

/**
 * The CAs to trust for provider endpoints: Node's public roots plus those of `caFile`
 * (`PROVIDER_CA_FILE` adds CAs, it does not replace the public ones). `undefined` keeps Node's default.
 */
export function trustedCas(caFile: string | undefined): string[] | undefined {
  if (caFile === undefined) return undefined;
  return [...rootCertificates, readFileSync(caFile, "utf8")];
}
