// Reads the --auth tokens:FILE file: which X-Auth-Token acts as which user, in which project, with which role.
import { readFileSync } from 'node:fs';
import type { Principal } from '../domain/principal.ts';

/**
 * One token per line, fields separated by blanks, '#' starts a comment:
 *   TOKEN  PROJECT_ID  USER_ID  ROLE      (ROLE is admin or member)
 */
const FIELDS_PER_LINE = 4;
const ROLES = ['admin', 'member'] as const;

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
  constructor(readonly file: string, readonly line: number | undefined, detail: string) {
    super(line === undefined ? `${file}: ${detail}` : `${file} line ${line}: ${detail}`);
  }
}

/** Parses the text of a token file; every problem names its line. */
export function parseTokenFile(text: string, file: string): Map<string, Principal> {
  const tokens = new Map<string, Principal>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/).filter((f) => f.length > 0);
    if (fields.length === 0) return;
    if (fields.length !== FIELDS_PER_LINE) {
      throw new TokenFileError(file, line, `expected "TOKEN PROJECT_ID USER_ID ROLE", got ${fields.length} fields`);
    }
    const [token, projectId, userId, role] = fields;
    if (!(ROLES as readonly string[]).includes(role)) throw new TokenFileError(file, line, `role "${role}" is not admin or member`);
    if (tokens.has(token)) throw new TokenFileError(file, line, 'the same token appears twice');
    tokens.set(token, { userId, projectId, isAdmin: role === 'admin' });
  });
  if (tokens.size === 0) throw new TokenFileError(file, undefined, 'no tokens: every request would be refused');
  return tokens;
}

export function loadTokenFile(file: string): Map<string, Principal> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TokenFileError(file, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseTokenFile(text, file);
}
