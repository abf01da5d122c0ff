// The --auth tokens:FILE format: parsed into principals, with errors that name the line.
import { describe, expect, test } from 'vitest';
import { parseTokenFile, TokenFileError } from '../../src/cli/tokenFile.ts';

describe('parseTokenFile', () => {
  test('reads tokens, skipping comments and blank lines', () => {
    const tokens = parseTokenFile('# token project user role\n\nT-admin  admin  alice  admin\nT-demo demo bob member # demo user\n', 'f');
    expect(tokens.get('T-admin')).toEqual({ userId: 'alice', projectId: 'admin', isAdmin: true });
    expect(tokens.get('T-demo')).toEqual({ userId: 'bob', projectId: 'demo', isAdmin: false });
    expect(tokens.size).toBe(2);
  });

  test.each([
    ['T p u', 'line 1'],
    ['T p u owner', 'line 1: role "owner"'],
    ['T p u admin\nT q v member', 'line 2: the same token'],
    ['# nothing\n', 'no tokens'],
  ])('%j is refused (%s)', (text, message) => {
    expect(() => parseTokenFile(text, 'tokens.txt')).toThrowError(TokenFileError);
    expect(() => parseTokenFile(text, 'tokens.txt')).toThrowError(message);
  });
});
