// `npm test`: every workspace's tests through turbo (one package at a time: 2-core CI machines),
// echoed as they run, then one closing line with the totals over all packages.
import { spawn } from "node:child_process";

const ansi = /\x1b\[[0-9;]*m/g;
const totals = { passed: 0, failed: 0, skipped: 0 };
let pending = "";

function count(line) {
  const m = line.replace(ansi, "").match(/\bTests\s+(.*)\(\d+\)\s*$/);
  if (!m) return;
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    totals[what === "todo" ? "skipped" : what] += Number(n);
  }
}

const child = spawn(
  "npx",
  ["turbo", "run", "test", "--concurrency=1", "--continue", "--env-mode=loose", ...process.argv.slice(2)],
  { stdio: ["ignore", "pipe", "inherit"] },
);
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  const text = pending + chunk.toString("utf8");
  const lines = text.split("\n");
  pending = lines.pop() ?? "";
  lines.forEach(count);
});
child.on("close", (code) => {
  count(pending);
  const ok = code === 0 && totals.failed === 0;
  if (!ok && totals.failed === 0) totals.failed = 1; // a package failed outside its tests (setup, import)
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
  process.exit(code ?? 1);
});
