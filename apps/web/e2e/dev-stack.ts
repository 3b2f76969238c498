// Development aid: the e2e stack with the e2e seed, left running (prints its URL and key).
//   npx tsx e2e/dev-stack.ts
import { writeFileSync } from "node:fs";
import { healthyCurve, logRun, overfitCurve } from "./seed";
import { startStack } from "./stack";

const stack = await startStack();
const target = { baseUrl: stack.baseUrl, apiKey: stack.apiKey, project: stack.project };
for (const baseModel of ["tiny-a", "tiny-b"]) {
  for (const method of ["lora", "full"]) {
    for (let seed = 0; seed < 2; seed++) {
      await logRun(target, { name: `sweep-${baseModel}-${method}-${seed}`, group: "sweep", baseModel, method, seed, config: { lr: 1e-3 * (seed + 1), lora_rank: 8 } }, 60, (s) => healthyCurve(s, baseModel === "tiny-a" ? 0.5 : 1.5, seed));
    }
  }
}
await logRun(target, { name: "overfit-run", baseModel: "tiny-a", method: "full", config: { lr: 0.01 } }, 300, (s) => overfitCurve(s, 100));
writeFileSync("/tmp/webdev/stack.json", JSON.stringify({ ...target, databaseUrl: stack.db.url }));
console.log(JSON.stringify(target));
process.on("SIGTERM", () => void stack.stop().then(() => process.exit(0)));
