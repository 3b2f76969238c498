import type { z } from "zod";

/** A configuration that does not validate; `issues` name each field and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`invalid config${source ? ` ${source}` : ""}:\n  - ${issues.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** Turns zod issues into "field: what was expected, got what" lines. */
export function describeIssues(error: z.ZodError, raw: unknown, knownKeys: readonly string[]): string[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    const field = path.join(".") || "(root)";
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => {
        const near = closest(k, knownKeys);
        return `${[...path, k].join(".")}: unknown field${near ? ` (did you mean '${near}'?)` : ""}`;
      });
    }
    const value = valueAt(raw, path);
    const got = value === undefined ? "nothing" : JSON.stringify(value);
    if (issue.code === "invalid_type" && value === undefined) return [`${field}: required, expected ${issue.expected}`];
    return [`${field}: ${issue.message.replace(/^Invalid input: /, "").replace(/, received \w+$/, "")}, got ${got}`];
  });
}

function valueAt(raw: unknown, path: string[]): unknown {
  let v: unknown = raw;
  for (const p of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
