import { DatasetFormatError, toDatasetRecord, type DatasetRecord } from "./dataset-record";

/** Parses JSON Lines into records. Blank lines are skipped; every record must have the shape of the
 *  first one so a dataset has one kind. */
export function parseJsonl(text: string, source = "<jsonl>"): DatasetRecord[] {
  const records: DatasetRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new DatasetFormatError(source, i + 1, `expected one JSON object per line (${(err as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DatasetFormatError(source, i + 1, `expected a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
    }
    records.push(checkedRecord(toDatasetRecord(value as Record<string, unknown>), records[0], source, i + 1));
  }
  if (records.length === 0) throw new DatasetFormatError(source, 1, "expected at least one record, the file is empty");
  return records;
}

export function checkedRecord(rec: DatasetRecord | string, first: DatasetRecord | undefined, source: string, line: number): DatasetRecord {
  if (typeof rec === "string") throw new DatasetFormatError(source, line, rec);
  if (first && first.kind !== rec.kind) {
    throw new DatasetFormatError(source, line, `expected a ${first.kind} record like the first one, got a ${rec.kind} record`);
  }
  return rec;
}
