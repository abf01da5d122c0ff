// Opens the sockets switches connect to: TCP, a unix-domain path, or TLS (over TCP or a unix path) with client certificates.
import { lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { tlsServerOptions, type TlsMaterial } from '../tls.ts';

export type ListenSpec =
  | { tcp: { host?: string; port: number } }
  | { unix: string }
  | { tls: TlsMaterial & ({ host?: string; port: number } | { path: string }) };

/** Where a listener ended up (the real port when 0 was asked for). */
export type ListenAddress =
  | { kind: 'tcp' | 'tls'; host: string; port: number }
  | { kind: 'unix' | 'tls-unix'; path: string };

export interface ListenerHooks {
  /** a socket ready for OpenFlow (TLS already verified) */
  onSocket: (socket: Socket, at: ListenAddress) => void;
  /** a connection that failed before OpenFlow (TLS handshake, certificate), or a listener error */
  onFailure: (error: Error, at: ListenAddress, remote: string) => void;
}

export interface Listener {
  address: ListenAddress;
  close(): Promise<void>;
}

const DEFAULT_HOST = '0.0.0.0';

/** Binds one listener. */
export async function openListener(spec: ListenSpec, hooks: ListenerHooks): Promise<Listener> {
  if ('tcp' in spec) return bind(createServer(), { port: spec.tcp.port, host: spec.tcp.host ?? DEFAULT_HOST }, 'connection', hooks);
  if ('unix' in spec) return bind(createServer(), { path: spec.unix }, 'connection', hooks);
  const server = createTlsServer(tlsServerOptions(spec.tls));
  const where = 'path' in spec.tls ? { path: spec.tls.path } : { port: spec.tls.port, host: spec.tls.host ?? DEFAULT_HOST };
  return bind(server, where, 'secureConnection', hooks);
}

type Where = { path: string } | { port: number; host: string };

async function bind(server: Server, where: Where, event: 'connection' | 'secureConnection', hooks: ListenerHooks): Promise<Listener> {
  const tls = event === 'secureConnection';
  if ('path' in where) await removeStaleSocket(where.path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen('path' in where ? where.path : { port: where.port, host: where.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = addressOf(server, where, tls);
  server.on(event, (socket: Socket) => hooks.onSocket(socket, address));
  server.on('tlsClientError', (err: Error, socket: TLSSocket) => hooks.onFailure(tlsFailure(err, socket), address, remoteOf(socket)));
  server.on('error', (err) => hooks.onFailure(err, address, ''));
  return {
    address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addressOf(server: Server, where: Where, tls: boolean): ListenAddress {
  if ('path' in where) return { kind: tls ? 'tls-unix' : 'unix', path: where.path };
  const a = server.address();
  const port = a && typeof a === 'object' ? a.port : where.port;
  return { kind: tls ? 'tls' : 'tcp', host: where.host, port };
}

/**
 * Node destroys a socket whose client certificate failed verification without an error of its own
 * (the client then sees a hang-up, and so does tlsClientError); the reason is on the socket.
 */
function tlsFailure(err: Error, socket: TLSSocket): Error {
  const why = socket.authorizationError;
  return why ? new Error(`client certificate refused: ${String(why)}`, { cause: err }) : err;
}

export function remoteOf(socket: Socket): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unix';
}

/** A socket file left by a process that died is removed; one somebody still listens on is kept (listen then fails). */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  // anything else at that path is not ours to delete: let listen() report EADDRINUSE
  if (!isSocket) return;
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (!live) unlinkSync(path);
}
