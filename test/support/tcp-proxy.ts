import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (Redis, PostgreSQL), so a test can take the server "down" (refuse and
 * drop connections) and bring it back on the same port, or hold the server's replies (a stalled network), without
 * touching the server other tests use.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Each connection's server side, piped to its client side unless replies are held. */
  private readonly replies = new Map<Socket, Socket>();
  private holding = false;
  private holdAfter: string | undefined;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      // After the pipe's own listener: the request is on its way, and its reply cannot have come yet.
      client.on('data', (chunk: Buffer) => {
        if (this.holdAfter !== undefined && chunk.includes(this.holdAfter)) this.holdReplies();
      });
      if (!this.holding) upstream.pipe(client);
      this.replies.set(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => {
        this.replies.delete(upstream);
        client.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** Holds the replies from the moment a client sends something that contains `marker` (see `holdReplies()`). */
  holdRepliesAfter(marker: string): void {
    this.holdAfter = marker;
  }

  /** Holds what the server sends (requests still reach it) until `releaseReplies()`. */
  holdReplies(): void {
    this.holdAfter = undefined;
    this.holding = true;
    for (const [upstream, client] of this.replies) upstream.unpipe(client);
  }

  /** Delivers the held replies, and what follows. */
  releaseReplies(): void {
    this.holding = false;
    for (const [upstream, client] of this.replies) upstream.pipe(client);
  }

  /** Refuses new connections and drops the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
