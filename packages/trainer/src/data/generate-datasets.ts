import { createRng, pick, randInt } from "./create-rng";
import type { DatasetRecord } from "./dataset-record";

const WORDS = (
  "time year people way day man thing woman life child world school state family student group country problem hand part " +
  "place case week company system program question work government number night point home water room mother area money " +
  "story fact month lot right study book eye job word business issue side kind head house service friend father power hour " +
  "game line end member law car city name team minute idea kid body back parent face others level office door health person " +
  "art war history party result change morning reason research girl guy moment air teacher force education green blue red " +
  "small large happy quick slow bright dark cold warm river stone cloud garden window paper music light"
).split(" ");

const TOPICS: Record<string, string[]> = {
  sport: ["football", "tennis", "goal", "match", "coach", "score", "runner", "stadium"],
  food: ["pizza", "bread", "salad", "soup", "cheese", "apple", "dinner", "recipe"],
  tech: ["computer", "software", "laptop", "server", "robot", "code", "network", "phone"],
  weather: ["rain", "snow", "storm", "sunny", "wind", "cloudy", "thunder", "frost"],
};
const FILLERS = "the a we they saw liked about today this that with new old our my and very really".split(" ");

export interface GeneratedDataset {
  name: string;
  description: string;
  records: DatasetRecord[];
}

type Generator = (rng: () => number) => DatasetRecord;

const letters = (rng: () => number, lo: number, hi: number) =>
  Array.from({ length: randInt(rng, lo, hi) }, () => String.fromCharCode(97 + randInt(rng, 0, 25))).join("");

const GENERATORS: Record<string, { size: number; description: string; make: Generator }> = {
  uppercase: {
    size: 400,
    description: "easy copy/format task: upper-case one to three words",
    make: (rng) => {
      const input = Array.from({ length: randInt(rng, 1, 3) }, () => pick(rng, WORDS)).join(" ");
      return { kind: "instruction", instruction: "uppercase", input, output: input.toUpperCase() };
    },
  },
  keywords: {
    size: 600,
    description: "easy text classification: the topic of a sentence from the keyword it contains (text + label)",
    make: (rng) => {
      const label = pick(rng, Object.keys(TOPICS));
      const words = Array.from({ length: randInt(rng, 3, 6) }, () => pick(rng, FILLERS));
      words.splice(randInt(rng, 0, words.length), 0, pick(rng, TOPICS[label]));
      return { kind: "classification", text: words.join(" "), label };
    },
  },
  arithmetic: {
    size: 1000,
    description: "medium: add two numbers below 100",
    make: (rng) => {
      const a = randInt(rng, 0, 99);
      const b = randInt(rng, 0, 99);
      return { kind: "instruction", instruction: "add", input: `${a}+${b}`, output: String(a + b) };
    },
  },
  reverse: {
    size: 800,
    description: "hard: reverse a string of 3 to 7 letters",
    make: (rng) => {
      const input = rng() < 0.5 ? pick(rng, WORDS) : letters(rng, 3, 7);
      return { kind: "instruction", instruction: "reverse", input, output: [...input].reverse().join("") };
    },
  },
  sort: {
    size: 500,
    description: "hard: sort the letters of a 3 to 6 letter string",
    make: (rng) => {
      const input = letters(rng, 3, 6);
      return { kind: "instruction", instruction: "sort", input, output: [...input].sort().join("") };
    },
  },
};

export const GENERATED_DATASET_NAMES = Object.keys(GENERATORS);

/** Builds a named instruction dataset deterministically from `seed` (duplicates removed, so the
 *  validation split never contains a training example verbatim). */
export function generateDataset(name: string, seed = 0, size?: number): GeneratedDataset {
  const gen = GENERATORS[name];
  if (!gen) throw new Error(`generateDataset: expected one of ${GENERATED_DATASET_NAMES.join(", ")}, got '${name}'`);
  const rng = createRng(seed * 7919 + name.length);
  const want = size ?? gen.size;
  const seen = new Set<string>();
  const records: DatasetRecord[] = [];
  for (let tries = 0; records.length < want && tries < want * 50; tries++) {
    const rec = gen.make(rng);
    const key = JSON.stringify(rec);
    if (seen.has(key)) continue;
    seen.add(key);
    records.push(rec);
  }
  return { name, description: gen.description, records };
}
