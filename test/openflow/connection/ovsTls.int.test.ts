// TLS with client certificates against real Open vSwitch `ssl:` controller targets: the CA-signed switch gets in, a rogue one does not.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SwitchConnection } from '../../../openflow/connection.ts';
import { createOpenFlowServer, type ConnectionFailure, type OpenFlowServer } from '../../../openflow/server.ts';
import { describeWithOvs } from '../../support/ovsAvailability.ts';
import { run, waitFor } from '../../support/ovsExec.ts';
import { OvsTestbed, type OvsHost } from '../../support/ovsTestbed.ts';
import { makeCerts, type CertSet } from './certs.ts';

/** Port the switch dials inside its own namespace; socat there carries the bytes to our unix socket unchanged. */
const NS_PORT = 6653;

/** socat inside the host namespace: TCP 127.0.0.1:NS_PORT -> our TLS listener's unix socket. */
async function relay(host: OvsHost, unixPath: string): Promise<void> {
  const child = spawn('ip', ['netns', 'exec', host.ns, 'socat', `TCP-LISTEN:${NS_PORT},bind=127.0.0.1,reuseaddr,fork`, `UNIX-CONNECT:${unixPath}`], {
    detached: true,
    stdio: 'ignore',
  });
  // teardown kills daemons by the pid files in the host directory
  writeFileSync(join(host.dir, 'socat-tls.pid'), String(child.pid));
  child.unref();
  await waitFor('socat listening', async () => {
    const r = await run(['ip', 'netns', 'exec', host.ns, 'ss', '-Hltn', `sport = :${NS_PORT}`], { allowFailure: true });
    return r.stdout.includes(`:${NS_PORT}`) ? true : undefined;
  });
}

describeWithOvs('TLS listener with real Open vSwitch ssl: targets', () => {
  let tb: OvsTestbed;
  let certs: CertSet;
  let server: OpenFlowServer;
  let tlsPath: string;
  const failures: ConnectionFailure[] = [];
  const switches: SwitchConnection[] = [];

  beforeAll(async () => {
    certs = await makeCerts();
    tb = await OvsTestbed.create();
    tlsPath = join(tb.runDir, 'tls.sock');
    server = createOpenFlowServer({
      listen: [{ tls: { key: certs.pem('serverKey'), cert: certs.pem('serverCert'), ca: certs.pem('caCert'), path: tlsPath } }],
      echoIntervalMs: 0,
    });
    server.on('switch', (sw) => switches.push(sw));
    server.on('connection_failed', (f) => failures.push(f));
    await server.listen();
  });

  afterAll(async () => {
    await server?.close();
    await tb?.teardown();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('accepts a switch presenting a certificate signed by the CA', async () => {
    const host = await tb.addHost({ name: 'T', datapathId: 0xc1n });
    await relay(host, tlsPath);
    await host.vsctl('set-ssl', certs.files.switchKey, certs.files.switchCert, certs.files.caCert);
    await host.vsctl('set-controller', 'br-int', `ssl:127.0.0.1:${NS_PORT}`);
    const sw = await waitFor('switch 0xc1', () => switches.find((s) => s.datapathId === 0xc1n), { timeoutMs: 20_000 });
    expect(sw.state).toBe('ready');
    const reply = await sw.request({ type: 'echo_request', data: Buffer.from('over tls') });
    expect(reply.data.toString()).toBe('over tls');
  });

  it('refuses a switch whose certificate another CA signed', async () => {
    const host = await tb.addHost({ name: 'R', datapathId: 0xc2n });
    await relay(host, tlsPath);
    const before = failures.length;
    // the rogue switch trusts our CA (so it would talk to us) but its own certificate is not from it
    await host.vsctl('set-ssl', certs.files.rogueKey, certs.files.rogueCert, certs.files.caCert);
    await host.vsctl('set-controller', 'br-int', `ssl:127.0.0.1:${NS_PORT}`);
    const failure = await waitFor('a refused TLS handshake', () => failures[before], { timeoutMs: 20_000 });
    expect(failure.listener).toEqual({ kind: 'tls-unix', path: tlsPath });
    expect(failure.error.message).toMatch(/client certificate refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(switches.some((s) => s.datapathId === 0xc2n)).toBe(false);
    expect((await host.vsctl('--columns=is_connected', '--bare', 'list', 'controller')).trim()).toBe('false');
  });
});
