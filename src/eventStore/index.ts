// The event log's public surface: the contract, the adapters and openEventStore(url).
export * from './types.ts';
export { openEventStore } from './open.ts';
export { SqliteEventStore, DEFAULT_SQLITE_PATH, type SqliteEventStoreOptions } from './sqlite/sqliteEventStore.ts';
export type { CommitStats } from './sqlite/groupCommitter.ts';
export { KurrentEventStore } from './kurrentdb/kurrentEventStore.ts';
