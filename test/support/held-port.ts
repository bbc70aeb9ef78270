import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A port held for a server that is not up yet. Until `forwardTo`, every connection is reset as it
 * arrives, as if nothing listened there; after it, each new connection is relayed to the server.
 * A test whose client must know the address of a server that is down at first holds the port this
 * way, rather than choosing a free port and binding it later, when another process may have taken it.
 */
export class HeldPort {
  private target: number | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async open(): Promise<HeldPort> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return new HeldPort(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on, connections reach the server listening on `port` (127.0.0.1). */
  forwardTo(port: number): void {
    this.target = port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.target === undefined) {
      socket.resetAndDestroy();
      return;
    }
    const upstream = createConnection(this.target, '127.0.0.1');
    for (const end of [socket, upstream]) {
      this.sockets.add(end);
      end.once('close', () => this.sockets.delete(end));
    }
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  }
}
