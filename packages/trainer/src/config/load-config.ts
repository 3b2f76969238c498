import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./config-error";

/** Reads a YAML (or JSON) file into a plain object; syntax errors name the file and line. */
export function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(path, [`file not found or unreadable; expected a YAML config at '${path}'`]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid YAML: ${(err as Error).message.split("\n")[0]}`]);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError(path, ["(root): expected a mapping of config keys"]);
  return doc as Record<string, unknown>;
}

/** Applies `--set key=value` overrides (dotted keys reach nested maps; values parse as YAML scalars
 *  or flow collections, so `lora_target=[q,v]` and `use_rslora=true` work). Returns a new object. */
export function applyOverrides(raw: Record<string, unknown>, sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(raw);
  for (const set of sets) {
    const eq = set.indexOf("=");
    if (eq <= 0) throw new ConfigError("--set", [`'${set}': expected key=value`]);
    const path = set.slice(0, eq).trim().split(".");
    const text = set.slice(eq + 1);
    let value: unknown;
    try {
      value = text === "" ? "" : parseYaml(text);
    } catch {
      value = text;
    }
    let node = out;
    for (const p of path.slice(0, -1)) {
      if (typeof node[p] !== "object" || node[p] === null) node[p] = {};
      node = node[p] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return out;
}
