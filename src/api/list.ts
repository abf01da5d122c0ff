// Neutron list semantics shared by every collection: filters, fields, sort_key/sort_dir, limit/marker links.
import { badRequest } from '../domain/errors.ts';
import type { NeutronJson } from '../domain/network/view.ts';
import { isTagFilter, passesTagFilter } from './tagFilters.ts';

const BAD_REQUEST_TYPE = 'HTTPBadRequest';
/** Query keys with list meanings; every other key is an attribute filter. */
const CONTROL_KEYS: ReadonlySet<string> = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);

export interface SortKey {
  key: string;
  descending: boolean;
}

export interface ListQuery {
  /** attribute -> accepted values (repeated keys are OR). */
  filters: Map<string, string[]>;
  fields: string[];
  sort: SortKey[];
  limit: number | undefined;
  marker: string | undefined;
  pageReverse: boolean;
}

function isTrue(text: string): boolean {
  return text.toLowerCase() === 'true';
}

export function parseListQuery(url: URL): ListQuery {
  const params = url.searchParams;
  const filters = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (CONTROL_KEYS.has(key)) continue;
    filters.set(key, [...(filters.get(key) ?? []), value]);
  }
  const keys = params.getAll('sort_key');
  const dirs = params.getAll('sort_dir');
  if (dirs.some((d) => d !== 'asc' && d !== 'desc')) throw badRequest("sort_dir must be 'asc' or 'desc'", BAD_REQUEST_TYPE);
  if (dirs.length > keys.length) throw badRequest('The number of sort_keys and sort_dirs must be same', BAD_REQUEST_TYPE);
  const limitText = params.get('limit');
  let limit: number | undefined;
  if (limitText !== null) {
    if (!/^\d{1,9}$/.test(limitText)) throw badRequest(`Limit must be an integer 0 or greater and not '${limitText}'`, BAD_REQUEST_TYPE);
    // Neutron: limit=0 means no limit.
    limit = Number(limitText) === 0 ? undefined : Number(limitText);
  }
  return {
    filters,
    fields: params.getAll('fields').flatMap((f) => f.split(',')).filter((f) => f !== ''),
    sort: keys.map((key, i) => ({ key, descending: dirs[i] === 'desc' })),
    limit,
    marker: params.get('marker') ?? undefined,
    pageReverse: isTrue(params.get('page_reverse') ?? 'false'),
  };
}

/** Does one attribute value match one query value (as Neutron's API layer converts them)? */
export function matchesFilter(attr: unknown, wanted: string): boolean {
  if (attr === null || attr === undefined) return wanted === '' || wanted === 'None' || wanted === 'null';
  if (typeof attr === 'boolean') return wanted.toLowerCase() === String(attr);
  if (typeof attr === 'number' || typeof attr === 'string') return String(attr) === wanted;
  if (Array.isArray(attr)) {
    const eq = wanted.indexOf('=');
    if (eq > 0) {
      // fixed_ips=ip_address=10.0.0.5 style: match a field of an element object.
      const [key, value] = [wanted.slice(0, eq), wanted.slice(eq + 1)];
      return attr.some((el) => el !== null && typeof el === 'object' && String((el as NeutronJson)[key]) === value);
    }
    return attr.some((el) => matchesFilter(el, wanted));
  }
  return false;
}

function passes(item: NeutronJson, filters: Map<string, string[]>): boolean {
  for (const [key, values] of filters) {
    if (isTagFilter(key)) {
      if (!passesTagFilter(item, key, values)) return false;
      continue;
    }
    // Neutron ignores filters on attributes a resource does not have.
    if (!(key in item)) continue;
    if (!values.some((v) => matchesFilter(item[key], v))) return false;
  }
  return true;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function comparator(sort: SortKey[]): (a: NeutronJson, b: NeutronJson) => number {
  // id last breaks ties, so marker pagination has a total order.
  const keys = [...sort, { key: 'id', descending: false }];
  return (a, b) => {
    for (const { key, descending } of keys) {
      const c = compareValues(a[key], b[key]);
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  };
}

function project(item: NeutronJson, fields: string[]): NeutronJson {
  if (fields.length === 0) return item;
  const out: NeutronJson = {};
  for (const f of fields) if (f in item) out[f] = item[f];
  return out;
}

function linkTo(url: URL, marker: string, previous: boolean, limit: number): string {
  const next = new URL(url);
  next.searchParams.delete('marker');
  next.searchParams.delete('page_reverse');
  next.searchParams.set('limit', String(limit));
  next.searchParams.set('marker', marker);
  if (previous) next.searchParams.set('page_reverse', 'True');
  return next.toString();
}

/** Filters, sorts, pages and projects rendered items; returns the collection body. */
export function listBody(items: NeutronJson[], query: ListQuery, collection: string, url: URL): NeutronJson {
  for (const { key } of query.sort) {
    if (items.length > 0 && !(key in items[0])) throw badRequest(`${key} is an invalid attribute for sort_keys`, BAD_REQUEST_TYPE);
  }
  const selected = items.filter((item) => passes(item, query.filters)).sort(comparator(query.sort));
  let start = 0;
  let end = selected.length;
  if (query.marker !== undefined) {
    const at = selected.findIndex((item) => item.id === query.marker);
    if (at < 0) throw badRequest(`marker ${query.marker} not found`, BAD_REQUEST_TYPE);
    if (query.pageReverse) end = at;
    else start = at + 1;
  }
  if (query.limit !== undefined) {
    if (query.pageReverse) start = Math.max(start, end - query.limit);
    else end = Math.min(end, start + query.limit);
  }
  const page = selected.slice(start, end);
  const body: NeutronJson = { [collection]: page.map((item) => project(item, query.fields)) };
  if (query.limit !== undefined) {
    const links: { href: string; rel: string }[] = [];
    if (end < selected.length && page.length > 0) {
      links.push({ href: linkTo(url, String(page[page.length - 1].id), false, query.limit), rel: 'next' });
    }
    if (start > 0 && page.length > 0) links.push({ href: linkTo(url, String(page[0].id), true, query.limit), rel: 'previous' });
    if (links.length > 0) body[`${collection}_links`] = links;
  }
  return body;
}
