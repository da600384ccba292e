import { readFileSync } from "node:fs";
import path from "node:path";
import { packagePath } from "../runtime/package-root.js";

// The committed files, which the build does not copy: the image ships this folder as it is.
const directory = packagePath("src", "simulators", "tls");

/** Test-only TLS material of the simulators (see tls/README.md). */
export const simulatorTls = {
  /** The CA that signed the simulators' certificate: give it to clients as `PROVIDER_CA_FILE`. */
  caFile: path.join(directory, "ca.pem"),
  certFile: path.join(directory, "server.pem"),
  keyFile: path.join(directory, "server.key"),
};

export function serverTlsOptions(): { cert: string; key: string } {
  return {
    cert: readFileSync(simulatorTls.certFile, "utf8"),
    key: readFileSync(simulatorTls.keyFile, "utf8"),
  };
}
