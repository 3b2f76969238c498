/**
 * JSON as Python's `json.dump` writes it: bare `NaN`, `Infinity` and `-Infinity` tokens are
 * allowed (allow_nan=True is its default, so a diverged run's trainer_state.json has them).
 */
const SENTINEL = "\u0000ft-nonfinite:";
/** The sentinel as JSON text (a raw control character is not allowed inside a JSON string). */
const SENTINEL_JSON = "\\u0000ft-nonfinite:";
const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  return JSON.parse(quoteNonFinite(text), (_key, value) => (typeof value === "string" && value.startsWith(SENTINEL) ? NON_FINITE[value.slice(SENTINEL.length)] : value));
}

/** Rewrites bare non-finite tokens outside strings as sentinel strings. */
function quoteNonFinite(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
      continue;
    }
    for (const token of ["-Infinity", "Infinity", "NaN"]) {
      if (c === token[0] && text.startsWith(token, i)) {
        out += `${text.slice(from, i)}"${SENTINEL_JSON}${token}"`;
        i += token.length - 1;
        from = i + 1;
        break;
      }
    }
  }
  return out + text.slice(from);
}

/** Index of the closing quote of the string that opens at `start` (or the text's end). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/**
 * The complete objects of the JSON array that opens at `arrayStart` (the index of its `[`), for a
 * file cut off mid-write: `stoppedAt` is the offset of the first object that is not complete, or
 * null when the array closed.
 */
export function salvageArrayObjects(text: string, arrayStart: number): { objects: unknown[]; stoppedAt: number | null } {
  const objects: unknown[] = [];
  let i = arrayStart + 1;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    if (text[i] === "]") return { objects, stoppedAt: null };
    if (text[i] !== "{") return { objects, stoppedAt: i };
    const end = endOfObject(text, i);
    if (end < 0) return { objects, stoppedAt: i };
    try {
      objects.push(parsePythonJson(text.slice(i, end + 1)));
    } catch {
      return { objects, stoppedAt: i };
    }
    i = end + 1;
  }
}

function endOfObject(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i);
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** "line 3, byte 120" for an offset: problems name where a file broke. */
export function lineOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, byte ${offset}`;
}
