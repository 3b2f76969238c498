import type { DatasetRecord } from "./dataset-record";

/** The JSONL line for a record (field names as in the file formats, without `kind`). */
export function serializeRecord(r: DatasetRecord): string {
  const { kind: _kind, ...fields } = r;
  return JSON.stringify(fields);
}
