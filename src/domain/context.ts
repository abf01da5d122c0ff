// What deciders may use besides the command and the world: settings and injected randomness and ids.

export interface VniRange {
  min: number;
  max: number;
}

export interface DecideContext {
  /** VXLAN network identifiers esdn may allocate to tenant networks. */
  vniRange: VniRange;
  /** Uniform random 32-bit unsigned integers (MAC addresses); seeded in tests. */
  randomUint32(): number;
  /** Fresh uuids for resources a command creates besides its own (default security groups, ...). */
  newId(): string;
}

/** Largest VXLAN network identifier: the VNI field is 24 bits (RFC 7348 section 5). */
export const MAX_VNI = 0xff_ff_ff;

export const DEFAULT_VNI_RANGE: VniRange = { min: 1, max: MAX_VNI };

/** A deterministic context for tests and replays: xorshift32 randomness, counter-based uuids. */
export function seededContext(seed = 1, vniRange: VniRange = DEFAULT_VNI_RANGE): DecideContext {
  let state = seed >>> 0 || 1;
  let counter = 0;
  return {
    vniRange,
    randomUint32() {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    },
    newId() {
      counter += 1;
      return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
    },
  };
}
