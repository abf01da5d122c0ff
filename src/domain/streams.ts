// Names every stream of the log: one per resource, e.g. network-<uuid>, host-<name>.
import type { DomainEvent } from './events.ts';
import type { TaggableKind } from './tag/commands.ts';
import { unhandled } from './unhandled.ts';

export const networkStream = (id: string) => `network-${id}`;
export const subnetStream = (id: string) => `subnet-${id}`;
export const portStream = (id: string) => `port-${id}`;
export const routerStream = (id: string) => `router-${id}`;
export const floatingIpStream = (id: string) => `floatingip-${id}`;
export const securityGroupStream = (id: string) => `security-group-${id}`;
export const hostStream = (name: string) => `host-${name}`;

/** The stream of a taggable resource: tag changes are recorded with the resource's other events. */
function taggedStream(kind: TaggableKind, id: string): string {
  switch (kind) {
    case 'network': return networkStream(id);
    case 'subnet': return subnetStream(id);
    case 'port': return portStream(id);
    case 'router': return routerStream(id);
    case 'floatingip': return floatingIpStream(id);
    case 'security_group': return securityGroupStream(id);
    default: {
      const unknown: never = kind;
      throw new Error(`no stream for tagged resource ${String(unknown)}`);
    }
  }
}

/** The stream an event belongs to: the resource it is about. */
export function streamOf(event: DomainEvent): string {
  switch (event.type) {
    case 'NetworkCreated':
    case 'NetworkUpdated':
    case 'NetworkDeleted':
      return networkStream(event.data.id);
    case 'SubnetCreated':
    case 'SubnetUpdated':
    case 'SubnetDeleted':
      return subnetStream(event.data.id);
    case 'PortCreated':
    case 'PortUpdated':
    case 'PortBoundToHost':
    case 'PortUnboundFromHost':
    case 'PortStatusChanged':
    case 'PortDeleted':
      return portStream(event.data.id);
    case 'HostRegistered':
    case 'HostUpdated':
    case 'HostDeregistered':
      return hostStream(event.data.name);
    case 'SecurityGroupCreated':
    case 'SecurityGroupUpdated':
    case 'SecurityGroupDeleted':
      return securityGroupStream(event.data.id);
    case 'SecurityGroupRuleCreated':
    case 'SecurityGroupRuleDeleted':
      return securityGroupStream(event.data.securityGroupId);
    case 'RouterCreated':
    case 'RouterUpdated':
    case 'RouterGatewaySet':
    case 'RouterGatewayCleared':
    case 'RouterInterfaceAdded':
    case 'RouterInterfaceRemoved':
    case 'RouterDeleted':
      return routerStream(event.data.id);
    case 'FloatingIpCreated':
    case 'FloatingIpUpdated':
    case 'FloatingIpAssociated':
    case 'FloatingIpDisassociated':
    case 'FloatingIpStatusChanged':
    case 'FloatingIpDeleted':
      return floatingIpStream(event.data.id);
    case 'TagsChanged':
      return taggedStream(event.data.resource, event.data.id);
    default:
      return unhandled(event, 'no stream for event');
  }
}
