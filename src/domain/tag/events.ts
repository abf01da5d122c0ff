// The tag event: a resource's whole tag set after a change, recorded on the resource's own stream.
import type { TaggableKind } from './commands.ts';

/** tags: the complete set afterwards, sorted and unique, so replay needs no history of adds and removes. */
export type TagsChanged = { type: 'TagsChanged'; data: { resource: TaggableKind; id: string; tags: string[]; updatedAt: string } };

export type TagEvent = TagsChanged;
export const TAG_EVENT_TYPES = ['TagsChanged'] as const;
