// Every bench ends by itself once it closed what it opened (ours and the peers'). bench:redis was once seen printing
// its last table and staying (issue 14): if a bench stays, this says what holds it open and, for a socket, whose
// connection it is as the server sees it (Redis CLIENT LIST, PostgreSQL pg_stat_activity), not a silent hang.

const GRACE_MS = 5_000;
/** Handles every process has (its stdio) or that hold nothing open on their own. */
const IGNORED = new Set(['TTYWrap', 'PipeWrap', 'FSReqCallback', 'CloseReq']);

/** Call once the bench is done: after GRACE_MS, if the process still runs, prints what keeps it. Holds nothing open. */
export function reportIfStillOpen(bench) {
  setTimeout(() => void report(bench).catch((error) => console.error(`${bench}: ${error.message}`)), GRACE_MS).unref();
}

async function report(bench) {
  const open = process.getActiveResourcesInfo().filter((resource) => !IGNORED.has(resource));
  // Taken before report() opens connections of its own to ask the servers.
  const sockets = process._getActiveHandles().filter((handle) => handle?.remotePort !== undefined);
  const lines = [`${bench}: still running ${GRACE_MS / 1000} s after it finished; open: ${open.join(', ') || 'none'}`];
  for (const socket of sockets) {
    const who = await whose(socket).catch((error) => `(could not ask the server: ${error.message})`);
    lines.push(`  socket :${socket.localPort} -> ${socket.remoteAddress}:${socket.remotePort}: ${who}`);
  }
  console.error(lines.join('\n'));
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const portOf = (url, fallback) => Number(new URL(url).port || fallback);

/** The server's view of a connection of this process, found by its local port. BullMQ names its connections bull:... */
async function whose(socket) {
  if (socket.remotePort === portOf(REDIS_URL, 6379)) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 0 });
    try {
      const line = (await redis.client('LIST')).split('\n').find((l) => l.includes(`:${socket.localPort} `));
      return (
        line
          ?.match(/ (name|age|idle|sub|psub|cmd)=\S*/g)
          ?.join('')
          .trim() ?? 'not in CLIENT LIST'
      );
    } finally {
      redis.disconnect();
    }
  }
  if (socket.remotePort === portOf(POSTGRES_URL, 5432)) {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT application_name, state, left(query, 80) AS query FROM pg_stat_activity WHERE client_port = $1',
        [socket.localPort],
      );
      return rows.length === 0 ? 'not in pg_stat_activity' : JSON.stringify(rows[0]);
    } finally {
      await client.end();
    }
  }
  return 'neither the Redis nor the PostgreSQL of the benches';
}
