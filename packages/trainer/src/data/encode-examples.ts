import { BOS_ID, EOS_ID, encodeText } from "../tokenizer/byte-tokenizer";
import type { LmExample } from "../types";
import type { DatasetRecord } from "./dataset-record";
import { formatExample, type PromptTemplate } from "./format-example";

export interface EncodeOptions {
  template: PromptTemplate;
  /** Model context: an example has at most this many input positions. */
  contextLength: number;
}

export interface EncodedDataset {
  examples: LmExample[];
  /** Examples whose prompt had to be cut (from the left) to fit the context. */
  truncated: number;
}

/** Encodes records as causal-LM examples: [BOS] prompt response [EOS], shifted by one, with the loss
 *  mask on the response and EOS only so the model is never trained to reproduce the prompt.
 *  Plain-text records have no prompt; texts longer than the context become several windows. */
export function encodeExamples(records: readonly DatasetRecord[], opts: EncodeOptions): EncodedDataset {
  const examples: LmExample[] = [];
  let truncated = 0;
  for (const rec of records) {
    if (rec.kind === "text") {
      examples.push(...encodeTextWindows(rec.text, opts.contextLength));
      continue;
    }
    const { prompt, response } = formatExample(rec, opts.template);
    const enc = encodePromptResponse(prompt, response, opts.contextLength);
    if (enc.truncated) truncated++;
    examples.push(enc.example);
  }
  return { examples, truncated };
}

export function encodePromptResponse(prompt: string, response: string, contextLength: number): { example: LmExample; truncated: boolean } {
  let p = [BOS_ID, ...encodeText(prompt)];
  let r = [...encodeText(response), EOS_ID];
  const max = contextLength + 1;
  let truncated = false;
  if (p.length + r.length > max) {
    truncated = true;
    // Keep the end of the prompt (the part next to the answer) and as much response as fits.
    const keepPrompt = Math.max(1, max - r.length);
    p = [BOS_ID, ...p.slice(p.length - keepPrompt + 1)];
    if (p.length + r.length > max) r = r.slice(0, max - p.length);
  }
  return { example: fromSequence([...p, ...r], p.length), truncated };
}

/** Builds the shifted example from a full token sequence whose first `responseStart` tokens are prompt. */
export function fromSequence(full: readonly number[], responseStart: number): LmExample {
  const input = full.slice(0, -1);
  const target = full.slice(1);
  const lossMask = target.map((_, i) => (i + 1 >= responseStart ? 1 : 0));
  return { input, target, lossMask };
}

function encodeTextWindows(text: string, contextLength: number): LmExample[] {
  const full = [BOS_ID, ...encodeText(text), EOS_ID];
  const out: LmExample[] = [];
  for (let start = 0; start < full.length - 1; start += contextLength) {
    const window = full.slice(start, start + contextLength + 1);
    if (window.length >= 2) out.push(fromSequence(window, 1));
  }
  return out;
}
