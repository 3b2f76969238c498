import type { DatasetRecord } from "./dataset-record";

/** How a record becomes prompt text. `{instruction}`, `{input}`, `{prompt}`, `{text}` are replaced;
 *  `noInput` is used for instruction records whose input is empty. */
export interface PromptTemplate {
  name: string;
  instruction: string;
  noInput: string;
  classification: string;
  completion: string;
}

export const PROMPT_TEMPLATES: Record<string, PromptTemplate> = {
  // Short on purpose: the base models have contexts of 64-128 bytes.
  compact: { name: "compact", instruction: "{instruction}: {input}\n= ", noInput: "{instruction}\n= ", classification: "{text}\nlabel: ", completion: "{prompt}" },
  alpaca: {
    name: "alpaca",
    instruction: "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n",
    noInput: "### Instruction:\n{instruction}\n\n### Response:\n",
    classification: "### Text:\n{text}\n\n### Label:\n",
    completion: "{prompt}",
  },
  qa: { name: "qa", instruction: "Q: {instruction} {input}\nA: ", noInput: "Q: {instruction}\nA: ", classification: "Q: label of {text}\nA: ", completion: "{prompt}" },
  task: { name: "task", instruction: "Task: {instruction}\n{input}\n-> ", noInput: "Task: {instruction}\n-> ", classification: "Classify: {text}\n-> ", completion: "{prompt}" },
  io: { name: "io", instruction: "{instruction}. Input: {input}\nOutput: ", noInput: "{instruction}.\nOutput: ", classification: "Input: {text}\nClass: ", completion: "{prompt}" },
};

/** Paraphrases used by template-paraphrase augmentation: same meaning, different wording. */
export const PARAPHRASE_TEMPLATES = ["compact", "qa", "task", "io"] as const;

/** Resolves a template by name, or builds one from a custom string containing `{instruction}`. */
export function resolveTemplate(spec: string): PromptTemplate {
  const named = PROMPT_TEMPLATES[spec];
  if (named) return named;
  if (!spec.includes("{instruction}") && !spec.includes("{text}") && !spec.includes("{prompt}")) {
    throw new Error(`template: expected one of ${Object.keys(PROMPT_TEMPLATES).join(", ")} or a string containing {instruction}, got ${JSON.stringify(spec)}`);
  }
  const noInput = spec.replace(/\{input\}/g, "").replace(/\n\n+/g, "\n");
  return { name: "custom", instruction: spec, noInput, classification: spec.replace(/\{(instruction|prompt)\}/g, "{text}"), completion: spec.replace(/\{(instruction|text)\}/g, "{prompt}") };
}

/** Splits a record into the prompt (no loss) and the response (loss) under `template`. */
export function formatExample(record: DatasetRecord, template: PromptTemplate): { prompt: string; response: string } {
  const fill = (pattern: string, values: Record<string, string>) => pattern.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  switch (record.kind) {
    case "instruction":
      return {
        prompt: fill(record.input ? template.instruction : template.noInput, { instruction: record.instruction, input: record.input }),
        response: record.output,
      };
    case "completion":
      return { prompt: fill(template.completion, { prompt: record.prompt }), response: record.completion };
    case "classification":
      return { prompt: fill(template.classification, { text: record.text }), response: record.label };
    case "text":
      return { prompt: "", response: record.text };
  }
}
