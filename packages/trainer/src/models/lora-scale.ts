import type { MethodConfig } from "../types";

/** LoRA scaling: alpha/r, or alpha/sqrt(r) with rsLoRA (Kalajdzievski 2023). */
export function loraScale(m: MethodConfig): number {
  const r = m.lora_rank ?? 8;
  const alpha = m.lora_alpha ?? 16;
  return m.use_rslora ? alpha / Math.sqrt(r) : alpha / r;
}
