import type { Example, LmExample } from "../types";
import { createRng } from "./create-rng";

export type AugmentationMethod = "token_dropout" | "span_masking" | "template_paraphrase";

export interface AugmentationSpec {
  methods: AugmentationMethod[];
  /** token_dropout: probability a prompt token is dropped; span_masking: fraction of prompt tokens
   *  masked; template_paraphrase: probability an example is swapped for a paraphrased prompt. */
  rate: number;
  /** Mean span length for span_masking. */
  span_length: number;
}

/** Input id that replaces masked tokens: byte 0 never occurs in the text datasets. */
export const MASK_ID = 0;

/** Alternative encodings of the same example under paraphrased templates, keyed by the example. */
export type ParaphraseTable = WeakMap<Example, LmExample[]>;

/** Returns the per-batch augmentation hook for `fineTune` (hyper.augment). It only ever touches
 *  prompt tokens, so response targets stay intact, and draws all randomness from `rng` so a run is
 *  reproducible by its seed. */
export function createAugmenter(spec: AugmentationSpec, paraphrases?: ParaphraseTable): (batch: Example[], rng: () => number) => Example[] {
  return (batch, rng) => batch.map((ex) => augmentExample(ex, spec, rng, paraphrases));
}

/** Augments a whole example list with a fixed seed (what one epoch of augmentation would see). */
export function augmentExamples(examples: readonly Example[], spec: AugmentationSpec, seed: number, paraphrases?: ParaphraseTable): Example[] {
  const rng = createRng(seed);
  return examples.map((ex) => augmentExample(ex, spec, rng, paraphrases));
}

function augmentExample(ex: Example, spec: AugmentationSpec, rng: () => number, paraphrases?: ParaphraseTable): Example {
  if (!("input" in ex) || spec.rate <= 0) return ex;
  let out: LmExample = ex;
  for (const method of spec.methods) {
    if (method === "template_paraphrase") {
      const alts = paraphrases?.get(ex);
      if (alts?.length && rng() < spec.rate) out = alts[Math.floor(rng() * alts.length)];
    } else if (method === "token_dropout") {
      out = dropTokens(out, spec.rate, rng);
    } else {
      out = maskSpans(out, spec.rate, spec.span_length, rng);
    }
  }
  return out;
}

/** Positions of `input` that belong to the prompt (never BOS at 0). Plain text: every position. */
function promptPositions(ex: LmExample): number[] {
  const mask = ex.lossMask;
  const all = !mask || mask.every((m) => m === 1);
  const out: number[] = [];
  for (let i = 1; i < ex.input.length; i++) if (all || mask![i - 1] === 0) out.push(i);
  return out;
}

function dropTokens(ex: LmExample, rate: number, rng: () => number): LmExample {
  const positions = new Set(promptPositions(ex).filter(() => rng() < rate));
  if (positions.size === 0) return ex;
  // full[j] is input[j] for j < n, target[n-1] at j = n; full position j's target mask is lossMask[j-1].
  const full = [...ex.input, ex.target[ex.target.length - 1]];
  const maskFull = [0, ...(ex.lossMask ?? ex.target.map(() => 1))];
  const keep = full.map((_, j) => !positions.has(j));
  const f = full.filter((_, j) => keep[j]);
  const m = maskFull.filter((_, j) => keep[j]);
  return { input: f.slice(0, -1), target: f.slice(1), lossMask: m.slice(1) };
}

function maskSpans(ex: LmExample, rate: number, spanLength: number, rng: () => number): LmExample {
  const positions = promptPositions(ex);
  let budget = Math.round(positions.length * rate);
  if (budget === 0) return ex;
  const input = ex.input.slice();
  const masked = new Set<number>();
  for (let tries = 0; budget > 0 && tries < positions.length * 4; tries++) {
    const start = Math.floor(rng() * positions.length);
    // Geometric-ish span lengths with the requested mean.
    const len = Math.max(1, Math.min(budget, Math.round(-Math.log(1 - rng()) * spanLength)));
    for (let k = start; k < Math.min(positions.length, start + len) && budget > 0; k++) {
      if (masked.has(k)) continue;
      masked.add(k);
      input[positions[k]] = MASK_ID;
      budget--;
    }
  }
  return { input, target: ex.target, lossMask: ex.lossMask };
}
