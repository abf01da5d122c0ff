// Rebuilds the world and each stream's last revision from the whole log (start, and after a failed append).
import type { EventStore } from '../eventStore/types.ts';
import { evolve } from '../domain/evolve.ts';
import { isDomainEvent } from '../domain/events.ts';
import { emptyWorld, type World } from '../domain/world.ts';

export interface CaughtUp {
  world: World;
  /** Last revision of every stream, so our appends carry exact expected revisions. */
  revisions: Map<string, bigint>;
  /** Global position of the last event read (START for an empty log). */
  position: bigint;
  eventCount: number;
}

export async function catchUp(store: EventStore): Promise<CaughtUp> {
  let world = emptyWorld();
  const revisions = new Map<string, bigint>();
  let position = -1n;
  let eventCount = 0;
  for await (const recorded of store.readAll()) {
    revisions.set(recorded.stream, recorded.revision);
    position = recorded.position;
    eventCount += 1;
    if (isDomainEvent(recorded)) world = evolve(world, recorded);
  }
  return { world, revisions, position, eventCount };
}
