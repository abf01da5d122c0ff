// Binary search over a non-decreasing sequence, shared by the audit index's lookups.

/** Largest i in [0, n) with key(i) <= x (keys non-decreasing), or -1. */
export function lastAtOrBefore(n: number, key: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
