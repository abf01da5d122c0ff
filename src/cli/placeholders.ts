// Temporary stand-in for the Neutron API until src/api lands: version documents only; deleted then.
import { Hono } from 'hono';

/** Version documents only, with the shapes Neutron returns. */
export function createPlaceholderApi(): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${origin}/v2.0/`, rel: 'self' }] }] });
  });
  app.get('/v2.0', (c) => c.json({ resources: [] }));
  return app;
}
