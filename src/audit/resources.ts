// Which resources an event is about: the keys of the audit index (history, the resource_id filter, explain).
import type { RecordedEvent } from '../eventStore/types.ts';

/** Switch observations name an OVS interface; explain finds the ofport a port's flows use through this key. */
export const interfaceKey = (host: string, iface: string): string => `iface:${host}:${iface}`;

/** Secondary ids that make an event part of another resource's story (a rule's group, an associated port). */
const SECONDARY_FIELDS = ['securityGroupId', 'portId'] as const;

/**
 * The ids an event is about: its own resource (data.id, or a host's name), the resource it belongs to
 * (a rule's security group), the port a router interface or floating IP attaches, and for switch
 * observations the host and interface. Unknown shapes give no keys: bad input never throws.
 */
export function resourceKeys(event: Pick<RecordedEvent, 'type' | 'data'>): string[] {
  const d = event.data;
  if (typeof d !== 'object' || d === null) return [];
  const data = d as Record<string, unknown>;
  const keys: string[] = [];
  addKey(keys, data.id);
  if (event.type.startsWith('Host')) addKey(keys, data.name);
  for (const f of SECONDARY_FIELDS) addKey(keys, data[f]);
  if (event.type.startsWith('Switch') || event.type === 'PortWired') {
    addKey(keys, data.host);
    if (typeof data.host === 'string' && typeof data.name === 'string') addKey(keys, interfaceKey(data.host, data.name));
  }
  return keys;
}

/** A plain function, not a closure per event: the index calls this once per event of a million-event log. */
function addKey(keys: string[], v: unknown): void {
  if (typeof v === 'string' && v !== '' && !keys.includes(v)) keys.push(v);
}
