import { existsSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { lineOf, parsePythonJson } from "./python-json";
import { readText } from "./read-source";
import { SourceError } from "./types";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON object file (NaN/Infinity allowed); a SourceError naming the file and offset otherwise. */
export function readJsonObject(file: string, text = readText(file)): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parsePythonJson(text);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new SourceError(file, `not valid JSON (${(error as Error).message})`, at === undefined ? undefined : lineOf(text, Number(at)));
  }
  if (!isRecord(parsed)) throw new SourceError(file, "expected a JSON object");
  return parsed;
}

/** The object in `file` when the file exists, else undefined; unreadable files are reported, not thrown. */
export function readOptionalJson(file: string, onProblem: (error: SourceError) => void): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readJsonObject(file);
  } catch (error) {
    if (error instanceof SourceError) {
      onProblem(error);
      return undefined;
    }
    throw error;
  }
}

/** Numbers and short strings/booleans of an object, for a summary (no nested blobs). */
export function scalarsOf(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && v.length <= 2000)) out[k] = v;
  return out;
}

/** A YAML mapping file (meta.yaml, training_args.yaml, hparams.yaml); a SourceError otherwise. */
export function readYamlObject(file: string): Record<string, unknown> {
  const text = readText(file);
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new SourceError(file, `not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
  if (!isRecord(parsed)) throw new SourceError(file, "expected a YAML mapping");
  return parsed;
}
