// The real openstack CLI against esdn's API served in-process over loopback HTTP, for API int tests.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createNeutronApi } from '../../src/api/createApp.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { createNeutronService, type NeutronService } from '../../src/service/neutronService.ts';

const run = promisify(execFile);
/** Each CLI call starts a Python interpreter: a few seconds on a busy machine. */
const CLI_TIMEOUT_MS = 60_000;

async function cliMissing(): Promise<string | undefined> {
  try {
    await run('openstack', ['--version'], { timeout: CLI_TIMEOUT_MS });
    return undefined;
  } catch {
    return 'the openstack command (Debian package python3-openstackclient) is not installed';
  }
}

export interface OpenstackCli {
  /** False when the CLI is missing: the caller's describe skips (CI fails instead, see below). */
  available: boolean;
  openstack(...args: string[]): Promise<{ ok: boolean; out: string }>;
  /** Runs with `-f json`, expects success, returns the parsed output. */
  json(...args: string[]): Promise<any>;
  /** Runs and expects success. */
  ok(...args: string[]): Promise<void>;
}

/**
 * Starts esdn's API on a fresh SQLite log for the file's tests and returns CLI helpers bound to it.
 * Without the CLI the tests skip with a printed reason, except under ESDN_REQUIRE_OVS=1 (CI), where
 * a failing test says what is missing.
 */
export async function useInProcessOpenstack(suite: string): Promise<OpenstackCli> {
  const missing = await cliMissing();
  if (missing && process.env.ESDN_REQUIRE_OVS === '1') {
    test(`${suite}: openstack CLI is installed (required: ESDN_REQUIRE_OVS=1)`, () => {
      throw new Error(missing);
    });
  } else if (missing) {
    console.warn(`${suite}: skipped, ${missing}`);
  }

  let server: ServerType | undefined;
  let store: SqliteEventStore | undefined;
  let service: NeutronService | undefined;
  let endpoint = '';
  const dir = mkdtempSync(join(tmpdir(), 'esdn-osc-'));

  beforeAll(async () => {
    store = SqliteEventStore.open(join(dir, 'events.db'));
    service = createNeutronService({ store });
    await service.start();
    const app = createNeutronApi({ service, auth: { kind: 'noauth' } });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        endpoint = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await service?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openstack(...args: string[]): Promise<{ ok: boolean; out: string }> {
    try {
      const { stdout } = await run('openstack', ['--os-auth-type', 'none', '--os-endpoint', endpoint, ...args], { timeout: CLI_TIMEOUT_MS });
      return { ok: true, out: stdout };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }
  async function json(...args: string[]) {
    const res = await openstack(...args, '-f', 'json');
    expect(res.ok, res.out).toBe(true);
    return JSON.parse(res.out);
  }
  async function ok(...args: string[]) {
    const res = await openstack(...args);
    expect(res.ok, res.out).toBe(true);
  }
  return { available: missing === undefined, openstack, json, ok };
}
