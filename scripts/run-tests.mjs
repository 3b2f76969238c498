// `npm test`: one lint of the whole repo (eslint.config.mjs; one typed-lint process costs less CPU
// than one per package), the lint config's own test, then every workspace's tests through turbo
// (one package at a time: 2-core CI machines), echoed as they run, then one closing line with the
// totals over all of them.
import { spawn } from "node:child_process";

const ansi = /\x1b\[[0-9;]*m/g;
const totals = { passed: 0, failed: 0, skipped: 0 };

function count(line) {
  const m = line.replace(ansi, "").match(/\bTests\s+(.*)\(\d+\)\s*$/);
  if (!m) return;
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    totals[what === "todo" ? "skipped" : what] += Number(n);
  }
}

/** Runs a command with its output echoed (and stdout's test totals counted); resolves to its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let pending = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(count);
    });
    child.on("close", (code) => {
      count(pending);
      resolve(code ?? 1);
    });
  });
}

const lintCode = await run("npx", ["eslint", "--max-warnings", "0", "."]);
if (lintCode === 0) console.log("lint: no problems");
const lintTestCode = await run("npx", ["vitest", "run", "eslint.config.test.ts"]);
const code = await run("npx", ["turbo", "run", "test", "--concurrency=1", "--continue", "--env-mode=loose", ...process.argv.slice(2)]);

const testsOk = code === 0 && lintTestCode === 0 && totals.failed === 0;
if (!testsOk && totals.failed === 0) totals.failed = 1; // a package failed outside its tests (setup, import)
const lint = lintCode === 0 ? "" : ", lint failed (see eslint's report above)";
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}${lint}`);
process.exit(testsOk && lintCode === 0 ? 0 : code || lintTestCode || lintCode || 1);
