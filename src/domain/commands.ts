// Every intent the domain decides, as one union.
import type { NetworkCommand } from './network/commands.ts';
import type { SubnetCommand } from './subnet/commands.ts';
import type { PortCommand } from './port/commands.ts';
import type { HostCommand } from './host/commands.ts';
import type { FloatingIpCommand } from './floatingIp/commands.ts';
import type { RouterCommand } from './router/commands.ts';
import type { SecurityGroupCommand } from './securityGroup/commands.ts';
import type { TagCommand } from './tag/commands.ts';

export type Command = NetworkCommand | SubnetCommand | PortCommand | HostCommand | SecurityGroupCommand | RouterCommand | FloatingIpCommand | TagCommand;
export type CommandType = Command['type'];
