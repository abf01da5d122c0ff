// Test helper: drives the Neutron app in process (hono app.request) on a real SQLite log in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createNeutronApi } from '../../src/api/createApp.ts';
import type { AuthMode } from '../../src/api/auth.ts';
import type { ApiEnv } from '../../src/api/env.ts';
import type { VniRange } from '../../src/domain/context.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import type { EventStore, RecordedEvent } from '../../src/eventStore/types.ts';
import { createNeutronService, type NeutronService } from '../../src/service/neutronService.ts';

export interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export class ApiClient {
  constructor(readonly app: Hono<ApiEnv>, readonly token?: string) {}

  as(token: string): ApiClient {
    return new ApiClient(this.app, token);
  }

  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers['X-Auth-Token'] = this.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);
  put = (path: string, body: unknown) => this.request('PUT', path, body);
  delete = (path: string) => this.request('DELETE', path);
}

export interface Harness {
  dir: string;
  dbPath: string;
  store: EventStore;
  service: NeutronService;
  client: ApiClient;
  /** Every event in the log, in global order. */
  events(): Promise<RecordedEvent[]>;
  /** Stops service and store; the db file stays (for replay tests) until cleanup(). */
  close(): Promise<void>;
  /** close() and start a new service and app on the same db file (replay). */
  restart(): Promise<Harness>;
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  auth?: AuthMode;
  vniRange?: VniRange;
  dir?: string;
  /** Wraps the real SQLite store, e.g. to inject append failures (the wrapper is then a named fake). */
  wrapStore?: (store: EventStore) => EventStore;
  sequentialAppends?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'esdn-api-'));
  const dbPath = join(dir, 'events.db');
  const sqlite = SqliteEventStore.open(dbPath);
  const store = options.wrapStore?.(sqlite) ?? sqlite;
  const service = createNeutronService({ store, vniRange: options.vniRange, sequentialAppends: options.sequentialAppends });
  await service.start();
  const app = createNeutronApi({ service, auth: options.auth ?? { kind: 'noauth' } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await service.stop();
    await store.close();
  };
  return {
    dir,
    dbPath,
    store,
    service,
    client: new ApiClient(app),
    async events() {
      const all: RecordedEvent[] = [];
      for await (const e of store.readAll()) all.push(e);
      return all;
    },
    close,
    async restart() {
      await close();
      return startHarness({ ...options, dir });
    },
    async cleanup() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
