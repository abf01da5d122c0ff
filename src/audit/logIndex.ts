// The audit's index of the log itself: every event's position, the time the log reached, and which events touch which resource.
import { START } from '../eventStore/types.ts';
import type { ReplayEvent } from './batches.ts';
import { resourceKeys } from './resources.ts';
import { lastAtOrBefore } from './search.ts';

/** The index's contents, as persisted (persistedCheckpoints.ts IndexSnapshot). */
export interface LogIndexParts {
  positions: number[];
  maxTimes: number[];
  byResource: Map<string, number[]>;
}

export class LogIndex {
  /** positions of every event, in log order (numbers: positions stay far below 2^53) */
  private positions: number[];
  /** running maximum of the events' `at` (ms): "the log up to time T" is the prefix whose times are all <= T */
  private maxTimes: number[];
  private byResource: Map<string, number[]>;
  private lastMeta: unknown;
  private lastTime = Number.NaN;

  constructor(parts: LogIndexParts = { positions: [], maxTimes: [], byResource: new Map() }) {
    this.positions = parts.positions;
    this.maxTimes = parts.maxTimes;
    this.byResource = parts.byResource;
  }

  /** The live contents (not copies): what a persisted checkpoint writes. */
  get parts(): LogIndexParts {
    return { positions: this.positions, maxTimes: this.maxTimes, byResource: this.byResource };
  }

  get count(): number {
    return this.positions.length;
  }

  add(event: ReplayEvent): void {
    const pos = Number(event.position);
    this.positions.push(pos);
    // events appended together share one metadata object (SqliteEventStore.readBatch): parse its time once
    if (event.metadata !== this.lastMeta) {
      this.lastMeta = event.metadata;
      this.lastTime = Date.parse(event.metadata?.at);
    }
    const t = this.lastTime;
    const prev = this.maxTimes.length === 0 ? -Infinity : this.maxTimes[this.maxTimes.length - 1];
    this.maxTimes.push(Number.isNaN(t) || t < prev ? prev : t);
    for (const key of resourceKeys(event)) {
      const list = this.byResource.get(key);
      if (list === undefined) this.byResource.set(key, [pos]);
      else list.push(pos);
    }
  }

  /** The last event position <= p, START when p is before the first event. */
  settle(p: bigint): bigint {
    const i = lastAtOrBefore(this.positions.length, (k) => this.positions[k], Number(p));
    return i < 0 ? START : BigInt(this.positions[i]);
  }

  /** The last position of the longest log prefix whose events all happened at or before `ms`. */
  positionAtTime(ms: number): bigint {
    const i = lastAtOrBefore(this.maxTimes.length, (k) => this.maxTimes[k], ms);
    return i < 0 ? START : BigInt(this.positions[i]);
  }

  /** Positions of the events about a resource (ascending), optionally within (after, upTo]. */
  positionsOf(resourceId: string, after = START, upTo?: bigint): bigint[] {
    const list = this.byResource.get(resourceId) ?? [];
    const lo = Number(after);
    const hi = upTo === undefined ? Infinity : Number(upTo);
    return list.filter((p) => p > lo && p <= hi).map(BigInt);
  }
}
