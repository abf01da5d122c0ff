// Every intent the domain decides, as one union.
import type { NetworkCommand } from './network/commands.ts';

export type Command = NetworkCommand;
export type CommandType = Command['type'];
