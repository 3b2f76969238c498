// The README's SDK example: logs a small fine-tuning-shaped run to the local server.
//   npm start                       # in another terminal: API + dashboard, writes ~/.finetrack/credentials.json
//   npx tsx examples/log-run.ts     # logs the run and prints its id
//   npx finetrack export --run <id> # prints it back
import { init } from "@finetrack/sdk";

const run = await init({
  project: "default",
  name: "lora-r8-demo",
  baseModel: "tiny-gpt-2m",
  method: "lora",
  config: { learningRate: 3e-4, loraRank: 8, batchSize: 16, epochs: 3 },
  dataset: { name: "alpaca-mini", version: "v1", trainSize: 900, validationSize: 100 },
  tags: ["demo"],
});

const stepsPerEpoch = 100;
let best = Number.POSITIVE_INFINITY;
for (let step = 0; step < 3 * stepsPerEpoch; step++) {
  const epoch = step / stepsPerEpoch;
  const trainLoss = 2.5 * Math.exp(-step / 80) + 0.3 + 0.05 * Math.random();
  // Validation loss turns back up late in training: the dashboard flags the overfitting.
  const valLoss = 2.6 * Math.exp(-step / 90) + 0.45 + 0.0015 * Math.max(0, step - 180);
  run.log({ "train/loss": trainLoss, "val/loss": valLoss }, { step, epoch });
  best = Math.min(best, valLoss);
}
run.summary({ best_val_loss: best });
await run.finish();
console.log(`logged run ${run.id}`);
