/** One example as read from a file, normalized to one of the four supported shapes. */
export type DatasetRecord =
  | { kind: "instruction"; instruction: string; input: string; output: string }
  | { kind: "completion"; prompt: string; completion: string }
  | { kind: "classification"; text: string; label: string }
  | { kind: "text"; text: string };

export type DatasetKind = DatasetRecord["kind"];

export const EXPECTED_SHAPES =
  'an object with "instruction" and "output" strings (optional "input"), or "prompt" and "completion", or "text" and "label", or "text"';

/** Bad input in a dataset file: names the file, the line and what was expected. */
export class DatasetFormatError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${source} line ${line}: ${detail}`);
    this.name = "DatasetFormatError";
  }
}

/** Maps a parsed row (JSON object or CSV row keyed by header) to a record, or explains what is wrong. */
export function toDatasetRecord(row: Record<string, unknown>): DatasetRecord | string {
  // null marks a present value of the wrong type; the loop below reports it before any use.
  const str = (key: string): string | undefined | null => {
    const v = row[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return null;
  };
  const bad = (key: string) => `field "${key}" must be a string, got ${JSON.stringify(row[key])?.slice(0, 60)}`;
  for (const key of ["instruction", "input", "output", "response", "prompt", "completion", "text", "label"]) {
    if (str(key) === null) return bad(key);
  }
  const output = str("output") ?? str("response");
  if (str("instruction") !== undefined || (output !== undefined && str("prompt") === undefined)) {
    if (str("instruction") === undefined) return 'expected an "instruction" string next to "output"';
    if (output === undefined) return 'expected an "output" string next to "instruction"';
    return { kind: "instruction", instruction: str("instruction")!, input: str("input") ?? "", output: output! };
  }
  if (str("prompt") !== undefined || str("completion") !== undefined) {
    if (str("prompt") === undefined) return 'expected a "prompt" string next to "completion"';
    if (str("completion") === undefined) return 'expected a "completion" string next to "prompt"';
    return { kind: "completion", prompt: str("prompt")!, completion: str("completion")! };
  }
  if (str("text") !== undefined) {
    const label = str("label");
    return label === undefined ? { kind: "text", text: str("text")! } : { kind: "classification", text: str("text")!, label: label! };
  }
  const keys = Object.keys(row);
  return `expected ${EXPECTED_SHAPES}; got ${keys.length ? `fields ${keys.map((k) => `"${k}"`).join(", ")}` : "no fields"}`;
}
