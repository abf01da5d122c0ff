// Who is asking: injected into every command at the API edge; decides visibility and admin-only attributes.

export interface Principal {
  userId: string;
  projectId: string;
  isAdmin: boolean;
}

/** Non-admins see their own project's resources (and shared ones where the resource allows it). */
export function owns(principal: Principal, projectId: string): boolean {
  return principal.isAdmin || principal.projectId === projectId;
}

/**
 * esdn itself, for intents it records on its own behalf (the southbound's SetPortStatus, floating IP
 * status): an admin so policy never refuses it, with ids that say where the change came from.
 */
export const SYSTEM_PRINCIPAL: Principal = { userId: 'esdn', projectId: 'esdn', isAdmin: true };
