// appendRecords carries metadata as a flat string map: ours must survive the packing on the way back.
import { describe, expect, it } from 'vitest';
import { fromStoredMetadata, RECORD_METADATA_KEY, toRecordData } from '../../src/eventStore/kurrentdb/convert.ts';
import { newEvent } from './helpers.ts';

describe('KurrentDB record metadata (client encoding only; no server runs here)', () => {
  it('packs metadata into one string value the client accepts, and unpacks it on read', () => {
    const event = newEvent('PortCreated', { id: 'p1' });
    const record = toRecordData(event);
    const stored = record.metadata as Record<string, unknown>;
    expect(Object.values(stored).every((value) => typeof value === 'string')).toBe(true);
    expect(typeof stored[RECORD_METADATA_KEY]).toBe('string');
    expect(fromStoredMetadata(stored)).toEqual(event.metadata);
  });

  it('reads metadata written by appendToStream unchanged', () => {
    const { metadata } = newEvent('NetworkCreated');
    expect(fromStoredMetadata(metadata)).toEqual(metadata);
  });
});
