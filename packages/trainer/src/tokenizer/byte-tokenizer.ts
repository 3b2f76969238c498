export const PAD_ID = 256;
export const BOS_ID = 257;
export const EOS_ID = 258;
export const BYTE_VOCAB_SIZE = 259;
/** UTF-8 bytes of `text` as token ids (0..255). */
export function encodeText(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}
/** Inverse of encodeText; special tokens are dropped. */
export function decodeTokens(ids: number[]): string {
  return new TextDecoder().decode(Uint8Array.from(ids.filter((t) => t < 256)));
}
