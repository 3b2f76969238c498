// What the rules let through on purpose (eslint.config.test.ts expects no message here): an
// underscore or an earlier position for unused arguments, a rest sibling, an ignored caught error,
// a promise voided with a reason, short-circuit and ternary calls.
async function save(): Promise<number> {
  return 1;
}

export const callback = (_event: unknown, index: number) => index;
export const earlierArgument = (request: unknown, response: { end(): void }) => response.end();

export function withoutSecret(record: { secret: string; name: string; id: number }) {
  const { secret, ...rest } = record;
  return rest;
}

export function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return null;
  }
}

export function fireAndForget(enabled: boolean, log: (s: string) => void): void {
  void save(); // nobody waits for it: save() reports its own failures
  enabled && log("on");
  enabled ? log("on") : log("off");
}

export async function awaited(): Promise<number> {
  return (await save()) + 1;
}
