// Field-by-field differences between two renderings of a resource, and between two whole states.
import { COLLECTIONS, type AuditState, type Collection, type Json } from './render.ts';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** Fields whose JSON differs (absent fields read as undefined), in the order the live API prints them. */
export function fieldChanges(before: Json | undefined, after: Json | undefined): FieldChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const fields = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
  const out: FieldChange[] = [];
  for (const field of fields) {
    // absent and null read the same: a field appearing as null is no change
    if (JSON.stringify(b[field] ?? null) !== JSON.stringify(a[field] ?? null)) out.push({ field, from: b[field] ?? null, to: a[field] ?? null });
  }
  return out;
}

export interface ResourceDiff {
  created: { collection: Collection; id: string; resource: Json }[];
  changed: { collection: Collection; id: string; changes: FieldChange[] }[];
  deleted: { collection: Collection; id: string; resource: Json }[];
}

function byIdMap(list: Json[]): Map<string, Json> {
  return new Map(list.map((r) => [String(r.id), r]));
}

/** What was created, changed and deleted going from state `a` to state `b` (each collection in id order). */
export function diffStates(a: AuditState, b: AuditState): ResourceDiff {
  const out: ResourceDiff = { created: [], changed: [], deleted: [] };
  for (const collection of COLLECTIONS) {
    const before = byIdMap(a[collection]);
    const after = byIdMap(b[collection]);
    for (const [id, r] of after) {
      const old = before.get(id);
      if (old === undefined) out.created.push({ collection, id, resource: r });
      else {
        const changes = fieldChanges(old, r);
        if (changes.length > 0) out.changed.push({ collection, id, changes });
      }
    }
    for (const [id, r] of before) if (!after.has(id)) out.deleted.push({ collection, id, resource: r });
  }
  return out;
}
