// Generic list handling on a real log: filters (OR on repeats, booleans), fields, sort, limit/marker links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/apiClient.ts';

let harness: Harness;
const names = ['delta', 'alpha', 'charlie', 'bravo', 'echo'];

beforeAll(async () => {
  harness = await startHarness();
  for (const [i, name] of names.entries()) {
    const res = await harness.client.post('/v2.0/networks', { network: { name, admin_state_up: i % 2 === 0, mtu: 1400 + i } });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => harness.cleanup());

const namesOf = (body: { networks: { name: string }[] }) => body.networks.map((n) => n.name);

describe('list handling', () => {
  it('filters by attribute, repeated keys as OR, booleans in any Neutron spelling', async () => {
    expect(namesOf((await harness.client.get('/v2.0/networks?name=alpha')).body)).toEqual(['alpha']);
    expect(namesOf((await harness.client.get('/v2.0/networks?name=alpha&name=echo&sort_key=name')).body)).toEqual(['alpha', 'echo']);
    for (const t of ['True', 'true']) {
      expect(namesOf((await harness.client.get(`/v2.0/networks?admin_state_up=${t}&sort_key=name`)).body)).toEqual(['charlie', 'delta', 'echo']);
    }
    expect(namesOf((await harness.client.get('/v2.0/networks?admin_state_up=False&sort_key=name')).body)).toEqual(['alpha', 'bravo']);
    expect(namesOf((await harness.client.get('/v2.0/networks?mtu=1402')).body)).toEqual(['charlie']);
    const all = (await harness.client.get('/v2.0/networks?sort_key=name')).body.networks;
    const byId = await harness.client.get(`/v2.0/networks?id=${all[0].id}&id=${all[4].id}&id=0b6f2bd4-3d9e-4bd8-9df4-2d0a1f0a4c1e&sort_key=name`);
    expect(namesOf(byId.body)).toEqual(['alpha', 'echo']);
    expect(namesOf((await harness.client.get(`/v2.0/networks?id=${all[0].id}&name=echo`)).body)).toEqual([]);
  });

  it('projects fields and sorts by keys and directions', async () => {
    const res = await harness.client.get('/v2.0/networks?fields=name&fields=mtu&sort_key=mtu&sort_dir=desc');
    expect(res.body.networks[0]).toEqual({ name: 'echo', mtu: 1404 });
    expect(namesOf(res.body)).toEqual(['echo', 'bravo', 'charlie', 'alpha', 'delta']);
    const bad = await harness.client.get('/v2.0/networks?sort_key=name&sort_dir=sideways');
    expect(bad.status).toBe(400);
    const echo = (await harness.client.get('/v2.0/networks?name=echo')).body.networks[0];
    const shown = await harness.client.get(`/v2.0/networks/${echo.id}?fields=name`);
    expect(shown.body).toEqual({ network: { name: 'echo' } });
  });

  it('pages with limit and marker, with next and previous links like Neutron', async () => {
    const first = await harness.client.get('/v2.0/networks?sort_key=name&limit=2');
    expect(namesOf(first.body)).toEqual(['alpha', 'bravo']);
    const next = first.body.networks_links.find((l: { rel: string }) => l.rel === 'next');
    const nextUrl = new URL(next.href);
    expect(nextUrl.pathname).toBe('/v2.0/networks');
    expect(nextUrl.searchParams.get('marker')).toBe(first.body.networks[1].id);
    const second = await harness.client.get(nextUrl.pathname + nextUrl.search);
    expect(namesOf(second.body)).toEqual(['charlie', 'delta']);
    expect(second.body.networks_links.map((l: { rel: string }) => l.rel).sort()).toEqual(['next', 'previous']);
    const previous = new URL(second.body.networks_links.find((l: { rel: string }) => l.rel === 'previous').href);
    expect(namesOf((await harness.client.get(previous.pathname + previous.search)).body)).toEqual(['alpha', 'bravo']);
    const lastUrl = new URL(second.body.networks_links.find((l: { rel: string }) => l.rel === 'next').href);
    const last = await harness.client.get(lastUrl.pathname + lastUrl.search);
    expect(namesOf(last.body)).toEqual(['echo']);
    expect(last.body.networks_links.map((l: { rel: string }) => l.rel)).toEqual(['previous']);
    expect((await harness.client.get('/v2.0/networks?limit=abc')).status).toBe(400);
  });
});
