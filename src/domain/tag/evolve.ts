// Applies tag events: the resource's tags replaced by the recorded set.
import type { World } from '../world.ts';
import type { TagEvent } from './events.ts';
import { withTags } from './lookup.ts';

export function evolveTags(world: World, event: TagEvent): World {
  return withTags(world, event.data.resource, event.data.id, event.data.tags, event.data.updatedAt);
}
