export type Reporter = { once(key: string, message: string): void };

/** Trouble is reported once per kind and run, on stderr, so a long training log is not flooded. */
export function createReporter(quiet: boolean, write: (line: string) => void = (line) => process.stderr.write(line)): Reporter {
  const seen = new Set<string>();
  return {
    once(key, message) {
      if (seen.has(key)) return;
      seen.add(key);
      if (!quiet) write(`finetrack: ${message}\n`);
    },
  };
}
