import type { Redis } from 'ioredis';

/** What a client connects to, as messages name it: the server ("Redis", "Redis Cluster") and where it is. */
export interface RedisTarget {
  server: string;
  /** host:port, or a Cluster's startup nodes (host:port, ...), without credentials. */
  where: string;
}

type StartupNode = number | string | { host?: string; port?: number };

/** The part of an ioredis `Cluster` that tells it apart from a `Redis` client and names its nodes. */
interface ClusterLike {
  isCluster: true;
  startupNodes: StartupNode[];
}

export function isCluster(client: unknown): client is ClusterLike {
  return (client as Partial<ClusterLike>).isCluster === true;
}

/** A startup node as ioredis accepts it (a port, `host:port`, a `redis://` URL, `{ host, port }`), as host:port. */
function nodeAddress(node: StartupNode): string {
  if (typeof node === 'number') return `127.0.0.1:${node}`;
  if (typeof node === 'object') return `${node.host ?? '127.0.0.1'}:${node.port ?? 6379}`;
  if (!node.includes('//')) return node;
  const url = new URL(node);
  return `${url.hostname}:${url.port || 6379}`;
}

/** The target of a client: for a Cluster its startup nodes (the address of the node it reached may change). */
export function redisTarget(client: Redis): RedisTarget {
  if (isCluster(client)) return { server: 'Redis Cluster', where: client.startupNodes.map(nodeAddress).join(', ') };
  const { path, host, port } = client.options;
  return { server: 'Redis', where: path ?? `${host ?? '127.0.0.1'}:${port ?? 6379}` };
}
