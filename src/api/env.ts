// The per-request values middlewares hand to handlers (hono context variables).
import type { Principal } from '../domain/principal.ts';

export interface ApiEnv {
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
