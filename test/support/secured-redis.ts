import { execFile, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { simulatorTls } from "../../src/simulators/tls-material.js";

/**
 * What the topologies of redis-topologies.ts take to let nobody in without a password
 * (`{ passwords: true }`), and, with `{ tls: true }`, to speak TLS only (no plaintext port), with
 * the simulators' test certificate (127.0.0.1 and localhost) and test CA.
 */

/** The passwords and the ACL user of the secured topologies; test-only. */
export const securedRedis = {
  /** `requirepass` of the data nodes (the `default` user), and their `masterauth`. */
  dataPassword: "data-secret-one",
  /** An ACL user of the data nodes and of the Sentinels, with every right, for the gateway. */
  username: "pushgate",
  userPassword: "user-secret-two",
  /** `requirepass` of the Sentinels. */
  sentinelPassword: "sentinel-secret-three",
  /** The CA that signed the servers' certificate: `REDIS_TLS_CA_FILE`. */
  caFile: simulatorTls.caFile,
};

/** A data node lets in only with `securedRedis.dataPassword`, and gives it to its master. */
export const dataPasswordArgs = [
  "--requirepass",
  securedRedis.dataPassword,
  "--masterauth",
  securedRedis.dataPassword,
];

/** The ACL user of the gateway: every command, key and channel. */
export const gatewayUserArgs = [
  "--user",
  securedRedis.username,
  "on",
  `>${securedRedis.userPassword}`,
  "~*",
  "&*",
  "+@all",
];

/** Arguments of a server that listens on `port` with TLS only, and speaks TLS to its master. */
export function tlsArgs(port: number): string[] {
  return [
    "--port",
    "0",
    "--tls-port",
    String(port),
    "--tls-cert-file",
    simulatorTls.certFile,
    "--tls-key-file",
    simulatorTls.keyFile,
    "--tls-ca-cert-file",
    simulatorTls.caFile,
    "--tls-auth-clients",
    "no",
    "--tls-replication",
    "yes",
  ];
}

/** The gateway's TLS settings for a topology that speaks TLS (none for one that does not). */
export function tlsSettings(tls: boolean): { REDIS_TLS?: boolean; REDIS_TLS_CA_FILE?: string } {
  return tls ? { REDIS_TLS: true, REDIS_TLS_CA_FILE: securedRedis.caFile } : {};
}

/** Why `openssl` cannot make the cluster bus's certificate here, or undefined when it can. */
export function opensslUnavailable(): string | undefined {
  return spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0
    ? undefined
    : "openssl is not on PATH (it makes the cluster bus's client certificate)";
}

/**
 * Arguments of a cluster node that speaks TLS on the cluster bus too, to come after `tlsArgs`.
 * The cluster bus authenticates both ends whatever `tls-auth-clients` says, and the simulators'
 * certificate is for servers only: each node presents a throwaway self-signed client certificate,
 * made in `dir`, and trusts it besides the test CA (its `--tls-ca-cert-file` replaces the one of
 * `tlsArgs`). Clients still check the nodes against the test CA.
 */
export async function clusterBusTlsArgs(dir: string): Promise<string[]> {
  const cert = path.join(dir, "bus.pem");
  const key = path.join(dir, "bus.key");
  const trusted = path.join(dir, "trusted.pem");
  // biome-ignore format: one option and its value a line
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=pushgate-test-cluster-bus",
    "-addext", "extendedKeyUsage=clientAuth", "-addext", "keyUsage=critical,digitalSignature",
  ]);
  writeFileSync(trusted, readFileSync(securedRedis.caFile, "utf8") + readFileSync(cert, "utf8"));
  // biome-ignore format: one option and its value a line
  return [
    "--tls-cluster", "yes",
    "--tls-ca-cert-file", trusted,
    "--tls-client-cert-file", cert,
    "--tls-client-key-file", key,
  ];
}
