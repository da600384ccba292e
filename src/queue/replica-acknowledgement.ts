import type { RedisConnection } from "./redis.js";
import type { RedisTarget } from "./redis-target.js";

/** Resolves once what the connection wrote so far is safe from a failover; rejects otherwise. */
export type ReplicaAcknowledgement = () => Promise<void>;

export class NotReplicatedError extends Error {
  override name = "NotReplicatedError";
}

/**
 * Replication is asynchronous: a Sentinel promotes a replica that may lack the master's last
 * writes. Behind Sentinels, an accepted event must be on a replica too, so WAIT makes the
 * master confirm that one has every write of this connection, the event's job included.
 * A master without replicas (the one just promoted, until the old one comes back as its
 * replica) has no one to fail over to, and nothing to wait for; neither have a single server
 * and a Cluster.
 */
export function replicaAcknowledgement(
  connection: RedisConnection,
  target: RedisTarget,
  timeoutMs: number,
): ReplicaAcknowledgement {
  if (target.kind !== "sentinel" || connection.isCluster) return async () => {};
  return async () => {
    const [, , replicas] = (await connection.role()) as [string, number, unknown[]];
    if (replicas.length === 0) return;
    if ((await connection.wait(1, timeoutMs)) < 1)
      throw new NotReplicatedError(`no replica confirmed the write within ${timeoutMs} ms`);
  };
}
