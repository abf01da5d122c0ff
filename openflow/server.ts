// The OpenFlow server: listens on TCP / unix / TLS, runs every switch through the handshake, announces ready switches.
//
//   const server = createOpenFlowServer({ listen: [{ tcp: { port: 6653 } }, { unix: '/run/esdn/of.sock' },
//     { tls: { port: 6654, key, cert, ca } }], echoIntervalMs: 5000, echoTimeoutMs: 5000 });
//   server.on('switch', async (sw) => {            // HELLO and FEATURES done: sw.datapathId is known
//     sw.on('port_status', ...); sw.on('close', ({ reason }) => ...);
//     await sw.bundle(flowMods);                   // atomic; rejects with the switch's errors by index
//     await sw.apply(moreFlowMods);                // flow_mods + barrier; OpenFlowBatchError by index
//     const body = await sw.multipart({ kind: 'port_desc' });
//   });
//   server.on('connection_failed', ({ remote, error }) => ...);   // TLS refused, not 1.3, timeouts
//   await server.listen(); ... await server.close();
//
// Two connections may announce the same datapath id (a switch reconnecting before the old socket
// timed out); deciding which one wins is the caller's business.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { SwitchConnection, type ConnectionOptions } from './connection.ts';
import { openListener, remoteOf, type ListenAddress, type Listener, type ListenSpec } from './transport/listeners.ts';

export type { ListenAddress, ListenSpec } from './transport/listeners.ts';
export { connectToSwitch, type ConnectOptions, type SwitchTarget } from './transport/connect.ts';

export interface OpenFlowServerOptions extends ConnectionOptions {
  listen: readonly ListenSpec[];
}

/** A connection that never became a switch: TLS refused, version mismatch, handshake timeout ... */
export interface ConnectionFailure {
  listener: ListenAddress;
  remote: string;
  error: Error;
}

export interface OpenFlowServerEvents {
  /** a switch finished HELLO and FEATURES: its datapath id is known */
  switch: [SwitchConnection];
  connection_failed: [ConnectionFailure];
}

export class OpenFlowServer extends EventEmitter<OpenFlowServerEvents> {
  private readonly bound: Listener[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly ready = new Set<SwitchConnection>();
  private closing = false;

  constructor(private readonly opts: OpenFlowServerOptions) {
    super();
  }

  /** Binds every listen spec; resolves with the bound addresses (real ports for port 0). */
  async listen(): Promise<ListenAddress[]> {
    const hooks = {
      onSocket: (socket: Socket, at: ListenAddress) => this.onSocket(socket, at),
      onFailure: (error: Error, at: ListenAddress, remote: string) => this.fail({ listener: at, remote, error }),
    };
    try {
      for (const spec of this.opts.listen) this.bound.push(await openListener(spec, hooks));
    } catch (e) {
      await this.close();
      throw e;
    }
    return this.addresses;
  }

  get addresses(): ListenAddress[] {
    return this.bound.map((l) => l.address);
  }

  /** Switches that completed the handshake and are still connected. */
  get switches(): SwitchConnection[] {
    return [...this.ready];
  }

  /** Stops listening and closes every connection (pending requests reject with reason 'local'). */
  async close(): Promise<void> {
    this.closing = true;
    const stopped = Promise.all(this.bound.splice(0).map((l) => l.close()));
    await Promise.all([...this.ready].map((sw) => sw.close()));
    for (const s of this.sockets) s.destroy();
    await stopped;
  }

  private onSocket(socket: Socket, at: ListenAddress): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const remote = remoteOf(socket);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    SwitchConnection.accept(socket, this.opts).then(
      (sw) => this.onReady(sw),
      (error: Error) => this.fail({ listener: at, remote, error }),
    );
  }

  private onReady(sw: SwitchConnection): void {
    if (this.closing) {
      void sw.close();
      return;
    }
    this.ready.add(sw);
    void sw.whenClosed().then(() => this.ready.delete(sw));
    this.safeEmit('switch', sw);
  }

  private fail(f: ConnectionFailure): void {
    this.safeEmit('connection_failed', f);
  }

  /** A throwing listener must not take the accept path (or the process) down. */
  private safeEmit<K extends keyof OpenFlowServerEvents>(event: K, ...args: OpenFlowServerEvents[K]): void {
    // each listener on its own, so one that throws neither stops the others nor escapes
    for (const fn of this.rawListeners(event) as ((...a: unknown[]) => void)[]) {
      try {
        fn.apply(this, args);
      } catch (e) {
        process.emitWarning(`OpenFlow server: '${event}' listener threw: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  }
}

export function createOpenFlowServer(opts: OpenFlowServerOptions): OpenFlowServer {
  return new OpenFlowServer(opts);
}
