// Regenerates the built-in datasets: `npx tsx datasets/generate.ts` inside packages/trainer.
// Output is deterministic, so re-running it leaves the committed files unchanged.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GENERATED_DATASET_NAMES, generateDataset } from "../src/data/generate-datasets";
import { serializeRecord } from "../src/data/serialize-record";

const dir = fileURLToPath(new URL(".", import.meta.url));
for (const name of GENERATED_DATASET_NAMES) {
  const ds = generateDataset(name);
  writeFileSync(`${dir}${name}.jsonl`, ds.records.map(serializeRecord).join("\n") + "\n");
  console.log(`${name}: ${ds.records.length} records — ${ds.description}`);
}
