import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Two levels below the package root both as src/simulators/*.ts and as dist/simulators/*.js,
// so the committed files are found from either (the build does not copy them).
const directory = new URL("../../src/simulators/tls/", import.meta.url);

/** Test-only TLS material of the simulators (see tls/README.md). */
export const simulatorTls = {
  /** The CA that signed the simulators' certificate: give it to clients as `PROVIDER_CA_FILE`. */
  caFile: fileURLToPath(new URL("ca.pem", directory)),
  certFile: fileURLToPath(new URL("server.pem", directory)),
  keyFile: fileURLToPath(new URL("server.key", directory)),
};

export function serverTlsOptions(): { cert: string; key: string } {
  return {
    cert: readFileSync(simulatorTls.certFile, "utf8"),
    key: readFileSync(simulatorTls.keyFile, "utf8"),
  };
}
