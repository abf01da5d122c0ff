// Runs the event log contract on real SQLite files in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { runEventStoreContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'esdn-events-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runEventStoreContract('sqlite', async () => SqliteEventStore.open(join(dir, `store-${files++}`, 'events.db')));
