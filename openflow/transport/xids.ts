// Allocates u32 transaction ids for one connection, skipping 0 and any id still awaiting its reply.
import { XID_MAX } from './constants.ts';

export class XidAllocator {
  private next: number;

  constructor(
    private readonly inUse: (xid: number) => boolean,
    start = 1,
  ) {
    this.next = start >>> 0 || 1;
  }

  allocate(): number {
    // at most every id in use could block us; in practice this loops once
    for (;;) {
      const xid = this.next;
      this.next = xid >= XID_MAX ? 1 : xid + 1;
      if (!this.inUse(xid)) return xid;
    }
  }
}
