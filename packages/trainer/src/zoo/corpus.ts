/** Deterministic synthetic English-like text of about `chars` characters. */
export function generateCorpus(seed: number, chars: number): string {
  throw new Error(`generateCorpus(${seed}, ${chars}) is not implemented yet`);
}
