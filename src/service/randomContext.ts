// The production DecideContext: cryptographic randomness for MACs, random uuids for secondary resources.
import { randomUUID, getRandomValues } from 'node:crypto';
import { DEFAULT_VNI_RANGE, type DecideContext, type VniRange } from '../domain/context.ts';

/** MACs drawn a few thousand per second: one 4 KiB refill of randomness serves 1024 of them. */
const RANDOM_BATCH = 1024;

export function randomContext(vniRange: VniRange = DEFAULT_VNI_RANGE): DecideContext {
  const pool = new Uint32Array(RANDOM_BATCH);
  let next = RANDOM_BATCH;
  return {
    vniRange,
    randomUint32() {
      if (next === RANDOM_BATCH) {
        getRandomValues(pool);
        next = 0;
      }
      return pool[next++];
    },
    newId: randomUUID,
  };
}
