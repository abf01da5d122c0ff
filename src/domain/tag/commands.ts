// Intents about tags (Neutron's standard-attr-tag): replace a resource's tags, add one, remove one.
import type { Principal } from '../principal.ts';

/** The resources that carry tags, by their domain name (the API maps collections to these). */
export const TAGGABLE_KINDS = ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group'] as const;
export type TaggableKind = (typeof TAGGABLE_KINDS)[number];

/**
 * The change travels with the command (not a precomputed list), so it is applied to the world at
 * decision time: two concurrent "add one tag" requests both land.
 */
export type TagChange = { op: 'replace'; tags: readonly string[] } | { op: 'add'; tag: string } | { op: 'remove'; tag: string };

export interface ChangeTags {
  type: 'ChangeTags';
  actor: Principal;
  at: string;
  resource: TaggableKind;
  id: string;
  change: TagChange;
}

export type TagCommand = ChangeTags;
