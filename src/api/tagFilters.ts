// Neutron's tag list filters: tags (all of), tags-any (any of), not-tags (not all of), not-tags-any (none of).
import type { NeutronJson } from '../domain/network/view.ts';

type TagTest = (has: (tag: string) => boolean, wanted: string[]) => boolean;

const TAG_FILTERS: ReadonlyMap<string, TagTest> = new Map<string, TagTest>([
  ['tags', (has, wanted) => wanted.every(has)],
  ['tags-any', (has, wanted) => wanted.some(has)],
  ['not-tags', (has, wanted) => !wanted.every(has)],
  ['not-tags-any', (has, wanted) => !wanted.some(has)],
]);

export function isTagFilter(key: string): boolean {
  return TAG_FILTERS.has(key);
}

/** Does the item pass a tag filter? Values are comma-separated lists (repeated keys add to the list). */
export function passesTagFilter(item: NeutronJson, key: string, values: readonly string[]): boolean {
  const test = TAG_FILTERS.get(key);
  // Collections without tags (hosts, rules) ignore the filter, like any attribute they do not have.
  if (test === undefined || !Array.isArray(item.tags)) return true;
  const wanted = values.flatMap((v) => v.split(',')).filter((t) => t !== '');
  if (wanted.length === 0) return true;
  const tags = new Set(item.tags as unknown[]);
  return test((tag) => tags.has(tag), wanted);
}
