// Public surface of the OpenFlow 1.3 library: message types, codec entry points, framer and flow text.
export type * from './messages/types.ts';
export { encodeMessage, decodeMessage, encodingLength } from './messages/codec.ts';
export { Framer } from './framer.ts';
export type { FramerOptions } from './framer.ts';
export { formatFlowMod } from './text/format.ts';
export { parseFlow } from './text/parse.ts';
export { EncodeError } from './wire/errors.ts';
