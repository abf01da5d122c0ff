// The per-request values middlewares hand to handlers (hono context variables).
import type { Principal } from '../domain/principal.ts';

export interface ApiEnv {
  Variables: {
    requestId: string;
    /** The caller's own X-Openstack-Request-Id (Nova's global request id), when it sent a well-formed one. */
    globalRequestId: string | undefined;
    principal: Principal;
  };
}
