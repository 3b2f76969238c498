import { createHash } from "node:crypto";
import type { DatasetRecord } from "./dataset-record";

/** sha256 of the canonical content: the parsed records in order, serialized with a fixed key order,
 *  so the same examples hash the same whether they came from JSONL or CSV, with any whitespace. */
export function hashDataset(records: readonly DatasetRecord[]): string {
  const h = createHash("sha256");
  for (const r of records) h.update(canonicalRecord(r) + "\n");
  return h.digest("hex");
}

export function canonicalRecord(r: DatasetRecord): string {
  switch (r.kind) {
    case "instruction":
      return JSON.stringify([r.kind, r.instruction, r.input, r.output]);
    case "completion":
      return JSON.stringify([r.kind, r.prompt, r.completion]);
    case "classification":
      return JSON.stringify([r.kind, r.text, r.label]);
    case "text":
      return JSON.stringify([r.kind, r.text]);
  }
}
