// Tag decisions: a complete sorted set per change, nothing when unchanged, 404/403 like updates, replay folds it in.
import { describe, expect, it } from 'vitest';
import type { ChangeTags, TagChange } from '../../../src/domain/tag/commands.ts';
import { foldWorld } from '../../../src/domain/evolve.ts';
import { streamOf } from '../../../src/domain/streams.ts';
import { ADMIN, ALICE, AT, BOB, LATER, given, networkCreated, portCreated, subnetCreated } from '../given.ts';

const NET = 'net-1';
const SHARED = 'net-shared';
const SUBNET = 'sub-1';
const PORT = 'port-1';
const WORLD = [
  networkCreated(NET, ALICE.projectId, 100),
  networkCreated(SHARED, ADMIN.projectId, 101, { shared: true }),
  subnetCreated(SUBNET, NET, ALICE.projectId),
  portCreated(PORT, NET, ALICE.projectId, 'fa:16:3e:00:00:01', [{ subnetId: SUBNET, ipAddress: '10.0.0.2' }]),
];

function tagsOf(resource: ChangeTags['resource'], id: string, change: TagChange, actor = ALICE): ChangeTags {
  return { type: 'ChangeTags', actor, at: LATER, resource, id, change };
}

describe('ChangeTags', () => {
  it('replaces the tags with a sorted unique set, recorded on the resource stream', () => {
    const events = given(WORLD).when(tagsOf('network', NET, { op: 'replace', tags: ['red', 'blue', 'red'] })).events();
    expect(events).toEqual([{ type: 'TagsChanged', data: { resource: 'network', id: NET, tags: ['blue', 'red'], updatedAt: LATER } }]);
    expect(streamOf(events[0])).toBe(`network-${NET}`);
    const before = foldWorld(WORLD).networks.get(NET)?.revision ?? 0;
    const world = foldWorld(events, foldWorld(WORLD));
    expect(world.networks.get(NET)).toMatchObject({ tags: ['blue', 'red'], updatedAt: LATER, revision: before + 1 });
  });

  it('adds one tag to what the world holds at decision time, and records nothing when it is already there', () => {
    const tagged = given(WORLD).when(tagsOf('port', PORT, { op: 'add', tag: 'b' })).next();
    tagged.when(tagsOf('port', PORT, { op: 'add', tag: 'a' })).then([
      { type: 'TagsChanged', data: { resource: 'port', id: PORT, tags: ['a', 'b'], updatedAt: LATER } },
    ]);
    tagged.when(tagsOf('port', PORT, { op: 'add', tag: 'b' })).then([]);
    tagged.when(tagsOf('port', PORT, { op: 'replace', tags: ['b'] })).then([]);
  });

  it('removes one tag, and refuses removing a tag the resource does not have with TagNotFound (404)', () => {
    const tagged = given(WORLD).when(tagsOf('subnet', SUBNET, { op: 'replace', tags: ['x', 'y'] })).next();
    tagged.when(tagsOf('subnet', SUBNET, { op: 'remove', tag: 'x' })).then([
      { type: 'TagsChanged', data: { resource: 'subnet', id: SUBNET, tags: ['y'], updatedAt: LATER } },
    ]);
    tagged.when(tagsOf('subnet', SUBNET, { op: 'remove', tag: 'z' })).thenThrows('TagNotFound', 404);
  });

  it('keeps projects apart: another project\'s resource does not exist, a shared one may be read but not tagged', () => {
    given(WORLD).when(tagsOf('network', NET, { op: 'add', tag: 't' }, BOB)).thenThrows('NetworkNotFound', 404);
    given(WORLD).when(tagsOf('port', PORT, { op: 'add', tag: 't' }, BOB)).thenThrows('PortNotFound', 404);
    given(WORLD).when(tagsOf('network', SHARED, { op: 'add', tag: 't' }, BOB)).thenThrows('PolicyNotAuthorized', 403);
    given(WORLD).when(tagsOf('router', 'nope', { op: 'add', tag: 't' })).thenThrows('RouterNotFound', 404);
    given(WORLD).when(tagsOf('floatingip', 'nope', { op: 'add', tag: 't' })).thenThrows('FloatingIPNotFound', 404);
    given(WORLD).when(tagsOf('security_group', 'nope', { op: 'add', tag: 't' })).thenThrows('SecurityGroupNotFound', 404);
    // admin tags anyone's resource
    expect(given(WORLD).when(tagsOf('network', NET, { op: 'add', tag: 't' }, ADMIN)).events()).toHaveLength(1);
  });

  it('normalises tags given at creation the same way', () => {
    const events = given([]).when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: 'n2', tags: ['b', 'a', 'b'] }).events();
    expect(events[0]).toMatchObject({ type: 'NetworkCreated', data: { tags: ['a', 'b'] } });
  });
});
