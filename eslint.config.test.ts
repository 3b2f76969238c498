// The lint config can fail: files with planted violations must get exactly the rules their
// `// expect: rule[, rule]` comments name, on those lines, and nothing else (allowed.ts: nothing).
// Run by `npm test` (scripts/run-tests.mjs) after the repo's own lint.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, test } from "vitest";

const root = dirname(fileURLToPath(import.meta.url));
// The config ignores eslint-fixtures/ so that `eslint .` passes; here it is linted on purpose.
const eslint = new ESLint({ cwd: root, ignore: false });

function expected(file: string): string[] {
  return readFileSync(join(root, file), "utf8")
    .split("\n")
    .flatMap((text, i) => {
      const rules = text.match(/\/\/ expect: (.+)$/)?.[1];
      return rules ? rules.split(",").map((rule) => `${i + 1} ${rule.trim()}`) : [];
    })
    .sort();
}

const files = ["eslint-fixtures/planted.ts", "eslint-fixtures/hooks.tsx", "eslint-fixtures/allowed.ts"];
const reported = new Map<string, string[]>();

describe("eslint.config.mjs", () => {
  // One lint of the three files; the first typed lint builds the TypeScript program (seconds).
  beforeAll(async () => {
    for (const result of await eslint.lintFiles(files)) {
      const messages = result.messages.map((m) => `${m.line} ${m.ruleId ?? `(no rule) ${m.message}`}`);
      reported.set(relative(root, result.filePath), messages.sort());
    }
  }, 120_000);

  test.each(files.slice(0, 2))("reports every planted violation in %s", (file) => {
    const want = expected(file);
    expect(want.length).toBeGreaterThan(0);
    expect(reported.get(file)).toEqual(want);
  });

  test("lets the allowed patterns through", () => {
    expect(expected("eslint-fixtures/allowed.ts")).toEqual([]);
    expect(reported.get("eslint-fixtures/allowed.ts")).toEqual([]);
  });
});
