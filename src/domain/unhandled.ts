// The `never` check that ends every decide, evolve and stream switch over a union of commands or events.

/**
 * A missing case is a type error at compile time (the argument is `never`); a value from outside the
 * types (a corrupt log, an untyped caller) that reaches it anyway throws `<what> <its type>`.
 */
export function unhandled(value: never, what: string): never {
  throw new Error(`${what} ${(value as { type: string }).type}`);
}
