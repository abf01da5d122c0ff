// Generic Neutron CRUD routes for one collection: list/show/create/update/delete over the service.
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Command } from '../domain/commands.ts';
import { HTTP_NOT_FOUND, NeutronError } from '../domain/errors.ts';
import type { NeutronJson } from '../domain/network/view.ts';
import { owns, type Principal } from '../domain/principal.ts';
import type { PMap } from '../domain/pmap.ts';
import type { World } from '../domain/world.ts';
import type { NeutronService } from '../service/neutronService.ts';
import { readCreate, readMember } from './body.ts';
import type { ApiEnv } from './env.ts';
import { checkRevision, requestedRevisions } from './ifMatch.ts';
import { listBody, parseListQuery } from './list.ts';

/** What a handler knows about the request when it builds a command. */
export interface RequestInfo {
  principal: Principal;
  /** Time of the intent, ISO-8601 to the second like Neutron's timestamps. */
  at: string;
  newId(): string;
}

export interface ResourceSpec<S, CB = unknown, UB = unknown> {
  /** Plural path segment and list key, e.g. "networks". */
  collection: string;
  /** Path segment when it differs from the list key ("security-groups" lists "security_groups"). */
  path?: string;
  /** Singular body key, e.g. "network". */
  member: string;
  /** Every item the principal may see. */
  visible(world: World, principal: Principal): Iterable<S>;
  /**
   * Optional shortcut for lists: the visible items that can match these filters, found through a
   * world index (e.g. ports by device_id), or undefined to scan visible(). The filters are still
   * applied to what it returns, so it may return a superset.
   */
  candidates?(world: World, principal: Principal, filters: ReadonlyMap<string, string[]>): Iterable<S> | undefined;
  /** One item the principal may see, or a thrown NeutronError (404). */
  find(world: World, principal: Principal, id: string): S;
  render(item: S, principal: Principal, world: World): NeutronJson;
  create?: { schema: z.ZodType<CB>; command(body: CB, req: RequestInfo): Command & { id: string } };
  update?: { schema: z.ZodType<UB>; command(id: string, body: UB, req: RequestInfo): Command };
  remove?(id: string, req: RequestInfo): Command;
}

/**
 * visible() and find() of a resource its project owns (an admin sees every one): what the principal
 * does not own is not found, as in Neutron.
 */
export function ownedResource<S extends { projectId: string }>(
  of: (world: World) => PMap<string, S>, notFound: (id: string) => NeutronError,
): Pick<ResourceSpec<S>, 'visible' | 'find'> {
  return {
    *visible(world, principal) {
      for (const item of of(world).values()) if (owns(principal, item.projectId)) yield item;
    },
    find(world, principal, id) {
      const item = of(world).get(id);
      if (item === undefined || !owns(principal, item.projectId)) throw notFound(id);
      return item;
    },
  };
}

export interface ResourceDeps {
  service: NeutronService;
  now(): Date;
  newId(): string;
}

const HTTP_CREATED = 201;
const HTTP_NO_CONTENT = 204;

/** Characters of an ISO-8601 UTC timestamp up to the seconds ("2026-11-26T00:00:00"). */
const ISO_SECONDS_LENGTH = 19;

export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, ISO_SECONDS_LENGTH)}Z`;
}

export function requestInfo(c: Context<ApiEnv>, deps: ResourceDeps): RequestInfo {
  return { principal: c.get('principal'), at: isoSeconds(deps.now()), newId: deps.newId };
}

export function meta(c: Context<ApiEnv>) {
  const principal = c.get('principal');
  return {
    requestId: c.get('requestId'),
    // The caller's global request id ties this change to the Nova (or other) request that caused it.
    correlationId: c.get('globalRequestId') ?? c.get('requestId'),
    actor: { userId: principal.userId, projectId: principal.projectId },
  };
}

/** `?id=a&id=b` (Nova's favourite list) looks the ids up instead of scanning the collection. */
function byIds<S>(spec: ResourceSpec<S, unknown, unknown>, world: World, principal: Principal, filters: ReadonlyMap<string, string[]>): S[] | undefined {
  const ids = filters.get('id');
  if (ids === undefined) return undefined;
  const found: S[] = [];
  for (const id of new Set(ids)) {
    try {
      found.push(spec.find(world, principal, id));
    } catch (error) {
      if (!(error instanceof NeutronError) || error.status !== HTTP_NOT_FOUND) throw error;
    }
  }
  return found;
}

/** Mounts GET/POST on /v2.0/<collection> and GET/PUT/DELETE on /v2.0/<collection>/:id. */
export function registerResource<S, CB, UB>(app: Hono<ApiEnv>, spec: ResourceSpec<S, CB, UB>, deps: ResourceDeps): void {
  const base = `/v2.0/${spec.path ?? spec.collection}`;
  app.get(base, (c) => {
    const principal = c.get('principal');
    const world = deps.service.world();
    const url = new URL(c.req.url);
    const query = parseListQuery(url);
    const source = spec.candidates?.(world, principal, query.filters) ?? byIds(spec, world, principal, query.filters) ?? spec.visible(world, principal);
    const items = [...source].map((item) => spec.render(item, principal, world));
    return c.json(listBody(items, query, spec.collection, url));
  });
  app.get(`${base}/:id`, (c) => {
    const principal = c.get('principal');
    const world = deps.service.world();
    const item = spec.find(world, principal, c.req.param('id'));
    const rendered = spec.render(item, principal, world);
    const fields = new URL(c.req.url).searchParams.getAll('fields');
    const body = fields.length === 0 ? rendered : Object.fromEntries(fields.filter((f) => f in rendered).map((f) => [f, rendered[f]]));
    return c.json({ [spec.member]: body });
  });
  const { create, update, remove } = spec;
  /** revision_number of a visible resource (only read when the caller sent If-Match). */
  const currentRevision = (c: Context<ApiEnv>, id: string): unknown => {
    if (requestedRevisions(c) === undefined) return undefined;
    const world = deps.service.world();
    return spec.render(spec.find(world, c.get('principal'), id), c.get('principal'), world).revision_number;
  };
  if (create !== undefined) {
    app.post(base, async (c) => {
      const { bulk, items } = await readCreate(c, spec.member, spec.collection, create.schema);
      const req = requestInfo(c, deps);
      const commands = items.map((body) => create.command(body, req));
      const { world } = await deps.service.executeAll(commands, meta(c));
      const rendered = commands.map((command) => spec.render(spec.find(world, req.principal, command.id), req.principal, world));
      return c.json(bulk ? { [spec.collection]: rendered } : { [spec.member]: rendered[0] }, HTTP_CREATED);
    });
  }
  if (update !== undefined) {
    app.put(`${base}/:id`, async (c) => {
      const id = c.req.param('id');
      const body = await readMember(c, spec.member, update.schema);
      const req = requestInfo(c, deps);
      checkRevision(c, currentRevision(c, id));
      const { world } = await deps.service.execute(update.command(id, body, req), meta(c));
      return c.json({ [spec.member]: spec.render(spec.find(world, req.principal, id), req.principal, world) });
    });
  }
  if (remove !== undefined) {
    app.delete(`${base}/:id`, async (c) => {
      checkRevision(c, currentRevision(c, c.req.param('id')));
      await deps.service.execute(remove(c.req.param('id'), requestInfo(c, deps)), meta(c));
      return c.body(null, HTTP_NO_CONTENT);
    });
  }
}
