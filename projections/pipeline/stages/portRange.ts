// A port range [lo, hi] as the fewest value/mask pairs that cover exactly it (what a masked tcp_dst match can express).
const PORT_BITS = 16;
const FULL_MASK = (1 << PORT_BITS) - 1;

export interface PortMask {
  value: number;
  /** absent = exact port */
  mask?: number;
}

/**
 * Greedy prefix split: from lo upwards, take the largest aligned power-of-two block that stays
 * within hi. Gives at most 2*16-2 pairs; [0, 65535] is the single pair 0/0 (no constraint).
 */
export function portRangeMasks(lo: number, hi: number): PortMask[] {
  const out: PortMask[] = [];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > FULL_MASK || lo > hi) return out;
  let start = lo;
  while (start <= hi) {
    let size = 1;
    while (size < 1 << PORT_BITS && start % (size * 2) === 0 && start + size * 2 - 1 <= hi) size *= 2;
    const mask = FULL_MASK & ~(size - 1);
    out.push(size === 1 ? { value: start } : { value: start, mask });
    start += size;
  }
  return out;
}
