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
