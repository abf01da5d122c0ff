// Decides tag changes: the new complete tag set, nothing when it is unchanged, TagNotFound when removing a missing tag.
import { notFound } from '../errors.ts';
import type { World } from '../world.ts';
import type { TagCommand, TagChange } from './commands.ts';
import type { TagEvent } from './events.ts';
import { taggableFor } from './lookup.ts';

/** Tags are a set: kept sorted and unique so equal sets compare equal and replay is deterministic. */
export function normalTags(tags: Iterable<string>): string[] {
  return [...new Set(tags)].sort();
}

function applied(current: readonly string[], change: TagChange, id: string): string[] {
  switch (change.op) {
    case 'replace':
      return normalTags(change.tags);
    case 'add':
      return normalTags([...current, change.tag]);
    case 'remove':
      if (!current.includes(change.tag)) throw notFound('TagNotFound', `Tag ${change.tag} could not be found for resource ${id}.`);
      return current.filter((t) => t !== change.tag);
    default: {
      const unknown: never = change;
      return unknown;
    }
  }
}

export function decideTags(command: TagCommand, world: World): TagEvent[] {
  const resource = taggableFor(world, command.actor, command.resource, command.id);
  const tags = applied(resource.tags, command.change, command.id);
  const current = normalTags(resource.tags);
  if (tags.length === current.length && tags.every((t, i) => t === current[i])) return [];
  return [{ type: 'TagsChanged', data: { resource: command.resource, id: command.id, tags, updatedAt: command.at } }];
}
