// Version negotiation rules: OpenFlow 1.3 only, by bitmap when the peer sends one, else by header version.
import { describe, expect, it } from 'vitest';
import { helloFailed, negotiate, ourHello } from '../../../openflow/transport/handshake.ts';

const hello = (version: number, versions: number[] = []) => ({ type: 'hello' as const, xid: 1, version, versions });

describe('version negotiation', () => {
  it('our hello announces 1.3 in the header and in the bitmap', () => {
    expect(ourHello(7)).toEqual({ type: 'hello', xid: 7, version: 4, versions: [4] });
  });

  it('accepts a bitmap that includes 1.3, whatever the header says', () => {
    expect(negotiate(hello(6, [1, 4, 6]))).toEqual({ ok: true });
    expect(negotiate(hello(4, [4]))).toEqual({ ok: true });
  });

  it('refuses a bitmap without 1.3, even when the header version is higher', () => {
    const r = negotiate(hello(6, [1, 5, 6]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/1, 5, 6/);
  });

  it('without a bitmap, needs header version 1.3 or later', () => {
    expect(negotiate(hello(4))).toEqual({ ok: true });
    expect(negotiate(hello(5))).toEqual({ ok: true });
    expect(negotiate(hello(1)).ok).toBe(false);
    expect(negotiate(hello(3)).ok).toBe(false);
  });

  it('HELLO_FAILED/INCOMPATIBLE goes out in the older peer version, with the reason as text', () => {
    const e = helloFailed(9, 1, 'need 4');
    expect(e).toMatchObject({ type: 'error', xid: 9, version: 1, errType: 0, errCode: 0 });
    expect(e.data.toString('ascii')).toBe('need 4');
    expect(helloFailed(9, 6, 'x').version).toBe(4);
  });
});
