// Version documents at / and /v2.0, which clients read before anything else (no token needed).
import type { Hono } from 'hono';
import type { ApiEnv } from './env.ts';

/** Collections esdn serves; the second part adds routers, floatingips, security groups here. */
export const COLLECTIONS: { collection: string; member: string }[] = [
  { collection: 'networks', member: 'network' },
  { collection: 'subnets', member: 'subnet' },
  { collection: 'ports', member: 'port' },
  { collection: 'hosts', member: 'host' },
];

export function registerVersions(app: Hono<ApiEnv>): void {
  app.get('/', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${origin}/v2.0/`, rel: 'self' }] }] });
  });
  const v2 = (c: { req: { url: string }; json: (body: unknown) => Response }) => {
    const origin = new URL(c.req.url).origin;
    return c.json({
      resources: COLLECTIONS.map(({ collection, member }) => ({
        name: member,
        collection,
        links: [{ href: `${origin}/v2.0/${collection}`, rel: 'self' }],
      })),
    });
  };
  app.get('/v2.0', v2);
  app.get('/v2.0/', v2);
}
