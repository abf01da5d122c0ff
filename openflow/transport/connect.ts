// Dials a switch that listens itself (OVS `ptcp:` / `punix:` targets, or a bridge's br-int.mgmt socket) and runs the same handshake.
import { connect, type Socket } from 'node:net';
import { SwitchConnection, type ConnectionOptions } from '../connection.ts';
import { HandshakeError } from './errors.ts';

export type SwitchTarget = { unix: string } | { tcp: { host: string; port: number } };

export interface ConnectOptions extends ConnectionOptions {
  /** give up when the socket does not connect in time */
  connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Resolves with a ready connection (datapath id known); rejects with the socket or handshake error. */
export async function connectToSwitch(target: SwitchTarget, opts: ConnectOptions = {}): Promise<SwitchConnection> {
  const socket = await open(target, opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  return SwitchConnection.accept(socket, opts);
}

function open(target: SwitchTarget, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = 'unix' in target ? connect(target.unix) : connect(target.tcp.port, target.tcp.host);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new HandshakeError(`could not connect within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    });
    const fail = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
    };
    socket.once('error', fail);
  });
}
