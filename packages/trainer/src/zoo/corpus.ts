// A deterministic synthetic English-like corpus for pretraining the zoo's base models: simple
// grammatical sentences, small facts, counting and arithmetic, and question/answer turns, so a
// pretrained model has priors that instruction fine-tuning can build on.
import { createRng } from "../models/rng";

const NOUNS = ["cat", "dog", "bird", "child", "teacher", "farmer", "river", "tree", "city", "house", "ship", "garden", "book", "song", "letter", "horse", "baker", "king", "queen", "student", "window", "road", "market", "friend", "stone", "cloud", "apple", "lamp"];
const ADJS = ["small", "large", "old", "young", "quiet", "bright", "dark", "happy", "tired", "green", "red", "blue", "cold", "warm", "busy", "gentle", "strong", "clever"];
const VERBS = [["sees", "saw"], ["finds", "found"], ["likes", "liked"], ["helps", "helped"], ["follows", "followed"], ["builds", "built"], ["reads", "read"], ["carries", "carried"], ["paints", "painted"], ["visits", "visited"]];
const PLACES = ["in the park", "near the river", "at the market", "on the hill", "by the window", "in the city", "under the tree", "at home"];
const TIMES = ["in the morning", "at night", "every day", "yesterday", "in the winter", "after lunch"];
const COLORS: [string, string][] = [["sky", "blue"], ["grass", "green"], ["snow", "white"], ["coal", "black"], ["sun", "yellow"], ["blood", "red"]];
const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

export const DEFAULT_CORPUS_NAME = "synthetic-english/v1";

/** Deterministic synthetic English-like text of about `chars` characters. */
export function generateCorpus(seed: number, chars: number): string {
  if (!Number.isInteger(chars) || chars < 1) throw new Error(`corpus chars must be a positive integer, got ${chars}`);
  const rng = createRng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  const np = () => (rng() < 0.5 ? `the ${pick(NOUNS)}` : `the ${pick(ADJS)} ${pick(NOUNS)}`);
  const sentence = (): string => {
    const r = rng();
    if (r < 0.3) {
      const [pres, past] = pick(VERBS);
      return `${cap(np())} ${rng() < 0.5 ? pres : past} ${np()} ${pick(PLACES)}.`;
    }
    if (r < 0.45) return `${cap(np())} is ${pick(ADJS)} ${pick(TIMES)}.`;
    if (r < 0.55) {
      const [thing, color] = pick(COLORS);
      return `The ${thing} is ${color}.`;
    }
    if (r < 0.67) {
      const a = Math.floor(rng() * 50);
      const b = Math.floor(rng() * 50);
      return `${a} plus ${b} is ${a + b}.`;
    }
    if (r < 0.75) {
      const n = Math.floor(rng() * 9);
      return `${cap(NUMBER_WORDS[n])}, ${NUMBER_WORDS[n + 1]}, ${NUMBER_WORDS[n + 2]}, ${NUMBER_WORDS[n + 3]}.`;
    }
    if (r < 0.88) {
      const [thing, color] = pick(COLORS);
      return `Question: What color is the ${thing}?\nAnswer: The ${thing} is ${color}.`;
    }
    const [pres] = pick(VERBS);
    const subj = np();
    return `Question: Who ${pres} ${np()}?\nAnswer: ${cap(subj)} does.`;
  };
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const para = Array.from({ length: 2 + Math.floor(rng() * 4) }, sentence).join(" ");
    parts.push(para);
    length += para.length + 2;
  }
  return parts.join("\n\n").slice(0, chars);
}
