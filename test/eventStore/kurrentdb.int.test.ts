// Runs the event log contract on a real KurrentDB server when KURRENTDB_URL names one.
import { describe, it } from 'vitest';
import { KurrentEventStore } from '../../src/eventStore/kurrentdb/kurrentEventStore.ts';
import { runEventStoreContract } from './contract.ts';

const url = process.env.KURRENTDB_URL;

if (url) {
  runEventStoreContract(`kurrentdb (${url})`, async () => KurrentEventStore.connect(url));
} else {
  const reason = 'KURRENTDB_URL is not set, and no KurrentDB server can run on this machine (start one with docker-compose, then KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false)';
  console.log(`SKIPPED event store contract on KurrentDB: ${reason}`);
  describe.skip(`event store contract: kurrentdb (${reason})`, () => {
    it('runs the contract suite', () => {});
  });
}
