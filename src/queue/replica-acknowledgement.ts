import { Cluster, type Redis } from "ioredis";
import type { RedisConnection } from "./redis.js";
import type { RedisTarget } from "./redis-target.js";

/** Resolves once what the connection wrote so far is safe from a failover; rejects otherwise. */
export type ReplicaAcknowledgement = () => Promise<void>;

export class NotReplicatedError extends Error {
  override name = "NotReplicatedError";
}

/**
 * Replication is asynchronous: a failover, a Sentinel's or a Cluster's, promotes a replica that
 * may lack the master's last writes. So an accepted event must be on a replica too: WAIT makes
 * the master confirm that one has every write of this connection, the event's job included. On
 * a Cluster that master is the one serving the slot of `key` (a key of the queue written to),
 * asked on the cluster's own connection to it, the one that wrote the job. A master without
 * replicas (the one just promoted, until the old one comes back as its replica; a Cluster's
 * without any) has no one to fail over to, and nothing to wait for; neither has a single server.
 */
export function replicaAcknowledgement(
  connection: RedisConnection,
  target: RedisTarget,
  timeoutMs: number,
  key: string,
): ReplicaAcknowledgement {
  if (target.kind === "server") return async () => {};
  const master = connection instanceof Cluster ? masterServing(connection, key) : async () => connection;
  const withReplicas = new MastersWithReplicas();
  // Behind Sentinels the one connection follows the master through a failover: what it knew
  // of the old master's replicas goes with it. A Cluster's new master is a new connection.
  if (!(connection instanceof Cluster)) connection.on("ready", () => withReplicas.forget(connection));
  return async () => {
    const server = await master();
    if (!(await withReplicas.has(server))) return;
    const acknowledged = await server.wait(1, timeoutMs).catch((error: unknown) => {
      withReplicas.forget(server);
      throw error;
    });
    if (acknowledged < 1) {
      withReplicas.forget(server);
      throw new NotReplicatedError(`no replica confirmed the write within ${timeoutMs} ms`);
    }
  };
}

/**
 * Which masters have replicas, asked with ROLE. Only a yes is remembered: it holds until a WAIT
 * fails (the replicas are gone, or behind) or the connection reconnects, and saves a round trip
 * per accepted event. A no is asked again each time, so an event is never accepted unwaited
 * for on the strength of an old answer while a replica may have come.
 */
class MastersWithReplicas {
  private readonly known = new WeakSet<Redis>();

  async has(server: Redis): Promise<boolean> {
    if (this.known.has(server)) return true;
    const [, , replicas] = (await server.role()) as [string, number, unknown[]];
    if (replicas.length === 0) return false;
    this.known.add(server);
    return true;
  }

  forget(server: Redis): void {
    this.known.delete(server);
  }
}

/** The cluster's connection to the master that serves `key`'s slot, as its slot table says now. */
function masterServing(cluster: Cluster, key: string): () => Promise<Redis> {
  let slot: Promise<number> | undefined;
  return async () => {
    slot ??= cluster.cluster("KEYSLOT", key).catch((error: unknown) => {
      slot = undefined;
      throw error;
    });
    const nodeKey = cluster.slots[await slot]?.[0];
    const master = cluster
      .nodes("master")
      .find(({ options }) => `${options.host}:${options.port}` === nodeKey);
    if (!master) throw new NotReplicatedError(`no master known for the slot of ${key}`);
    return master;
  };
}
