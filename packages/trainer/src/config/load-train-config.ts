import { dirname, isAbsolute, resolve } from "node:path";
import { isDatasetPath } from "../data/load-dataset";
import type { TrainConfig } from "./train-config";
import { applyOverrides, readYamlFile } from "./load-config";
import { parseConfig } from "./parse-config";

/** YAML file + `--set` overrides -> validated config. A dataset path in the file is resolved
 *  relative to the file, as users expect. */
export function loadTrainConfig(path: string, sets: readonly string[] = []): TrainConfig {
  const raw = applyOverrides(readYamlFile(path), sets);
  const config = parseConfig(raw, path);
  if (isDatasetPath(config.dataset) && !isAbsolute(config.dataset) && !sets.some((s) => s.startsWith("dataset="))) {
    config.dataset = resolve(dirname(path), config.dataset);
  }
  return config;
}
