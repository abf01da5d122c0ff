// Neutron's standard-attr-tag API: GET/PUT/DELETE /v2.0/<collection>/{id}/tags[/{tag}] on every taggable collection.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { badRequest, notFound } from '../../domain/errors.ts';
import type { TagChange, TaggableKind } from '../../domain/tag/commands.ts';
import type { World } from '../../domain/world.ts';
import type { Principal } from '../../domain/principal.ts';
import { describeIssue, readJson } from '../body.ts';
import type { ApiEnv } from '../env.ts';
import { addExtension } from '../extensions.ts';
import { tags as tagList } from '../fields.ts';
import { meta, requestInfo, type ResourceDeps } from '../resource.ts';
import { networkResource } from '../network/routes.ts';
import { subnetResource } from '../subnet/routes.ts';
import { portResource } from '../port/routes.ts';
import { routerResource } from '../router/routes.ts';
import { floatingIpResource } from '../floatingIp/routes.ts';
import { securityGroupResource } from '../securityGroup/routes.ts';

const BAD_REQUEST_TYPE = 'HTTPBadRequest';
const HTTP_CREATED = 201;
const HTTP_NO_CONTENT = 204;

interface Taggable {
  path: string;
  kind: TaggableKind;
  /** The collection's own visibility rule: whoever may see the resource may read its tags. */
  find(world: World, principal: Principal, id: string): { tags: string[] };
}

const TAGGABLE: Taggable[] = [
  { path: 'networks', kind: 'network', find: networkResource.find },
  { path: 'subnets', kind: 'subnet', find: subnetResource.find },
  { path: 'ports', kind: 'port', find: portResource.find },
  { path: 'routers', kind: 'router', find: routerResource.find },
  { path: 'floatingips', kind: 'floatingip', find: floatingIpResource.find },
  { path: 'security-groups', kind: 'security_group', find: securityGroupResource.find },
];

const replaceBody = z.strictObject({ tags: tagList });
const oneTag = tagList.element;

function tagParam(c: Context<ApiEnv>): string {
  const parsed = oneTag.safeParse(c.req.param('tag'));
  if (!parsed.success) throw badRequest(`Invalid input for tag. Reason: ${parsed.error.issues[0].message}.`, BAD_REQUEST_TYPE);
  return parsed.data;
}

async function readTags(c: Context<ApiEnv>): Promise<string[]> {
  const body = await readJson(c);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Invalid input for tags. Reason: body must be an object.', BAD_REQUEST_TYPE);
  const parsed = replaceBody.safeParse(body);
  if (!parsed.success) throw badRequest(describeIssue(parsed.error.issues[0]), BAD_REQUEST_TYPE);
  return parsed.data.tags;
}

function registerTaggable(app: Hono<ApiEnv>, t: Taggable, deps: ResourceDeps): void {
  const base = `/v2.0/${t.path}/:id/tags`;
  const idOf = (c: Context<ApiEnv>) => c.req.param('id') ?? '';
  const change = async (c: Context<ApiEnv>, what: TagChange) => {
    const req = requestInfo(c, deps);
    return deps.service.execute({ type: 'ChangeTags', actor: req.principal, at: req.at, resource: t.kind, id: idOf(c), change: what }, meta(c));
  };
  const tagsNow = (c: Context<ApiEnv>, world: World) => [...t.find(world, c.get('principal'), idOf(c)).tags];

  app.get(base, (c) => c.json({ tags: tagsNow(c, deps.service.world()) }));
  app.put(base, async (c) => {
    const tags = await readTags(c);
    const { world } = await change(c, { op: 'replace', tags });
    return c.json({ tags: tagsNow(c, world) });
  });
  app.delete(base, async (c) => {
    await change(c, { op: 'replace', tags: [] });
    return c.body(null, HTTP_NO_CONTENT);
  });
  app.get(`${base}/:tag`, (c) => {
    const tag = tagParam(c);
    if (!tagsNow(c, deps.service.world()).includes(tag)) throw notFound('TagNotFound', `Tag ${tag} could not be found for resource ${idOf(c)}.`);
    return c.body(null, HTTP_NO_CONTENT);
  });
  app.put(`${base}/:tag`, async (c) => {
    await change(c, { op: 'add', tag: tagParam(c) });
    return c.body(null, HTTP_CREATED);
  });
  app.delete(`${base}/:tag`, async (c) => {
    await change(c, { op: 'remove', tag: tagParam(c) });
    return c.body(null, HTTP_NO_CONTENT);
  });
}

export function registerTagRoutes(app: Hono<ApiEnv>, deps: ResourceDeps): void {
  addExtension({ alias: 'standard-attr-tag', name: 'Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip', description: 'Enables to set tag on resources with standard attribute.' });
  for (const t of TAGGABLE) registerTaggable(app, t, deps);
}
