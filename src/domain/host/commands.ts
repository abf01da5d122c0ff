// Intents about registered hypervisors (esdn's hosts extension); admin only.
import type { Principal } from '../principal.ts';

export interface RegisterHost {
  type: 'RegisterHost';
  actor: Principal;
  at: string;
  name: string;
  /** 16 hex digits, any case. */
  datapathId: string;
  tunnelIp: string;
  bridgeMappings?: Record<string, string>;
  tunnelInterface?: string;
}

export interface UpdateHost {
  type: 'UpdateHost';
  actor: Principal;
  at: string;
  name: string;
  datapathId?: string;
  tunnelIp?: string;
  bridgeMappings?: Record<string, string>;
  tunnelInterface?: string;
}

export interface DeregisterHost {
  type: 'DeregisterHost';
  actor: Principal;
  at: string;
  name: string;
}

export type HostCommand = RegisterHost | UpdateHost | DeregisterHost;
