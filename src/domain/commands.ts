// Every intent the domain decides, as one union.
import type { NetworkCommand } from './network/commands.ts';
import type { FloatingIpCommand } from './floatingIp/commands.ts';
import type { RouterCommand } from './router/commands.ts';
import type { SecurityGroupCommand } from './securityGroup/commands.ts';

export type Command = NetworkCommand | SecurityGroupCommand | RouterCommand | FloatingIpCommand;
export type CommandType = Command['type'];
