/** Hashed character 1-3 gram counts, L2-normalized: a fixed-width feature vector for the MLP
 *  classifier family, so text+label datasets also train without a tokenizer. */
export function featurizeText(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  const s = ` ${text.toLowerCase()} `;
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= s.length; i++) v[fnv1a(s.slice(i, i + n)) % dim] += 1;
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
