// Planted violations. eslint.config.test.ts lints this file (the repo's own lint skips the folder) and
// expects exactly the rules named by the `expect:` comments, on those lines.
const unusedConstant = 1; // expect: @typescript-eslint/no-unused-vars

async function save(): Promise<number> {
  return 1;
}

export function forgetsToAwait(): void {
  save(); // expect: @typescript-eslint/no-floating-promises
}

export function unusedLastArgument(used: number, unused: number): number { // expect: @typescript-eslint/no-unused-vars
  return used;
}

export function promiseAsCondition(): string {
  return save() ? "saved" : "never"; // expect: @typescript-eslint/no-misused-promises
}

export function asyncListener(target: EventTarget): void {
  target.addEventListener("change", async () => { // expect: @typescript-eslint/no-misused-promises
    await save();
  });
}

export async function awaitsANumber(): Promise<number> {
  return await 3; // expect: @typescript-eslint/await-thenable
}

export function statementWithoutEffect(a: number): void {
  a + 1; // expect: @typescript-eslint/no-unused-expressions
}

export function afterReturn(): number {
  return 1;
  save(); // expect: no-unreachable, @typescript-eslint/no-floating-promises
}
