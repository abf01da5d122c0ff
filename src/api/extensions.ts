// GET /v2.0/extensions: the Neutron extension aliases esdn implements (clients gate features on them).
import type { Hono } from 'hono';
import { notFound } from '../domain/errors.ts';
import type { ApiEnv } from './env.ts';

interface Extension {
  alias: string;
  name: string;
  description: string;
}

/** Fixed "updated" stamp: these describe API shapes, not deployments. */
const UPDATED = '2026-11-25T00:00:00-00:00';

export const EXTENSIONS: Extension[] = [
  { alias: 'binding', name: 'Port Binding', description: 'Expose port bindings of a virtual port to external application' },
  { alias: 'external-net', name: 'Neutron external network', description: 'Adds external network attribute to network resource.' },
  { alias: 'provider', name: 'Provider Network', description: 'Expose mapping of virtual networks to physical networks' },
  { alias: 'port-security', name: 'Port Security', description: 'Provides port security' },
  { alias: 'allowed-address-pairs', name: 'Allowed Address Pairs', description: 'Provides allowed address pairs' },
  { alias: 'net-mtu', name: 'Network MTU', description: 'Provides MTU attribute for a network resource.' },
  { alias: 'standard-attr-description', name: 'standard-attr-description', description: 'Extension to add descriptions to standard attributes' },
  { alias: 'standard-attr-revisions', name: 'Resource revision numbers', description: 'This extension will display the revision number of neutron resources.' },
  { alias: 'standard-attr-timestamp', name: 'Resource timestamps', description: 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.' },
  { alias: 'project-id', name: 'project_id field enabled', description: 'Extension that indicates that project_id field is enabled.' },
  { alias: 'revision-if-match', name: 'If-Match constraints based on revision_number', description: 'Extension indicating that If-Match based on revision_number is supported.' },
  { alias: 'pagination', name: 'Pagination support', description: 'Extension that indicates that pagination is enabled.' },
  { alias: 'sorting', name: 'Sorting support', description: 'Extension that indicates that sorting is enabled.' },
  { alias: 'esdn-hosts', name: 'esdn hosts', description: 'Hypervisors registered with esdn: datapath id, tunnel endpoint, bridge mappings.' },
];

/** The second part registers router, floating IP and security group aliases through this. */
export function addExtension(extension: Extension): void {
  if (!EXTENSIONS.some((e) => e.alias === extension.alias)) EXTENSIONS.push(extension);
}

function render(e: Extension) {
  return { alias: e.alias, name: e.name, description: e.description, updated: UPDATED, links: [] };
}

export function registerExtensions(app: Hono<ApiEnv>): void {
  app.get('/v2.0/extensions', (c) => c.json({ extensions: EXTENSIONS.map(render) }));
  app.get('/v2.0/extensions/:alias', (c) => {
    const extension = EXTENSIONS.find((e) => e.alias === c.req.param('alias'));
    if (extension === undefined) throw notFound('ExtensionNotFound', `Extension with alias ${c.req.param('alias')} does not exist`);
    return c.json({ extension: render(extension) });
  });
}
