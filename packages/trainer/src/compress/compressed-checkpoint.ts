// Compressed checkpoints: dir/compressed.json (model config, compression record, manifest) and
// dir/compressed.bin holding each tensor in its stored encoding: fp32, affine codes bit-packed at
// `bits` per value with fp32 scales and zero points, NF4 codes with absmax constants, or a 1-bit
// occupancy mask plus the non-zero fp32 values for pruned matrices. The outcome's `bytes` is the
// size of compressed.bin, so the reported size is the size on disk.
import * as tf from "@tensorflow/tfjs-core";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedModel } from "../types";
import { uid } from "../models/create-model";
import { writeCheckpointFiles } from "../checkpoint/checkpoint-io";
import { affineBytes, dequantizeAffine, type AffineQuantized } from "./quantize-affine";
import { quantRange, type QuantParams } from "./quant-params";
import { activationTransforms } from "./calibrate-activations";
import type { PackedTensor } from "./quantize-tensor";
import { dequantizeValues } from "../models/quantize-weight";
import type { CompressionOutcome } from "./compression-outcome";

export const COMPRESSED_FORMAT = "finetrack-compressed/1";

type Encoding =
  | { kind: "fp32" }
  | { kind: "affine"; bits: number; scheme: AffineQuantized["scheme"]; axis: number | null; channels: number }
  | { kind: "nf4"; blockSize: number; blocks: number; doubleQuant: { offset: number; blockSize: number; scales: number } | null }
  | { kind: "sparse"; nonZero: number };

interface Entry {
  name: string;
  group: "weights" | "extra";
  shape: number[];
  encoding: Encoding;
  offset: number;
  bytes: number;
}

interface Manifest {
  format: string;
  name: string;
  config: LoadedModel["config"];
  method: LoadedModel["method"];
  pretraining: LoadedModel["pretraining"] | null;
  metadata: Record<string, unknown>;
  entries: Entry[];
  /** Static activation quantization applied at inference, by linear layer. */
  activations?: Record<string, QuantParams>;
  savedAt: string;
}

/** Unsigned `bits`-wide fields, little-endian within a byte stream. */
function packBits(values: ArrayLike<number>, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * bits) / 8));
  let bit = 0;
  for (let i = 0; i < values.length; i++, bit += bits) {
    for (let b = 0; b < bits; b++) if ((values[i] >> b) & 1) out[(bit + b) >> 3] |= 1 << ((bit + b) & 7);
  }
  return out;
}

function unpackBits(data: Uint8Array, bits: number, n: number): Int32Array {
  const out = new Int32Array(n);
  let bit = 0;
  for (let i = 0; i < n; i++, bit += bits) {
    let v = 0;
    for (let b = 0; b < bits; b++) v |= ((data[(bit + b) >> 3] >> ((bit + b) & 7)) & 1) << b;
    out[i] = v;
  }
  return out;
}

const bytesOf = (a: Float32Array | Uint8Array | Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function encodeAffine(q: AffineQuantized): Uint8Array[] {
  const { qmin } = quantRange(q.bits, q.scheme);
  const parts = [packBits(Array.from(q.codes, (c) => c - qmin), q.bits), bytesOf(q.scales)];
  if (q.scheme === "asymmetric") parts.push(packBits(q.zeroPoints, Math.ceil(q.bits / 8) * 8));
  return parts;
}

function encodeSparse(values: Float32Array, mask: Uint8Array): Uint8Array[] {
  const kept = values.filter((_, i) => mask[i] === 1);
  return [packBits(mask, 1), bytesOf(Float32Array.from(kept))];
}

/** Encodes every variable of `model`; quantized weights use `packed`, pruned ones `masks`. */
export function encodeCompressed(model: LoadedModel, packed: Map<string, PackedTensor>, masks?: Map<string, Uint8Array>): { entries: Entry[]; bin: Uint8Array } {
  const entries: Entry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (name: string, group: Entry["group"], shape: number[], encoding: Encoding, parts: Uint8Array[]) => {
    const bytes = parts.reduce((s, p) => s + p.byteLength, 0);
    chunks.push(...parts.map((p) => p.slice()));
    entries.push({ name, group, shape, encoding, offset, bytes });
    offset += bytes;
  };
  for (const [group, map] of [["weights", model.weights], ["extra", model.extra]] as const) {
    for (const [name, v] of map) {
      const shape = v.shape as number[];
      const p = group === "weights" ? packed.get(name) : undefined;
      const mask = group === "weights" ? masks?.get(name) : undefined;
      if (p?.kind === "affine") {
        push(name, group, shape, { kind: "affine", bits: p.bits, scheme: p.scheme, axis: p.axis, channels: p.scales.length }, encodeAffine(p));
      } else if (p?.kind === "nf4") {
        const dq = p.q.doubleQuant;
        const parts = [p.q.codes, ...(dq ? [bytesOf(dq.codes), bytesOf(dq.scales), bytesOf(Float32Array.of(dq.offset))] : [bytesOf(p.q.absmax!)])];
        const blocks = Math.ceil(shape.reduce((a, b) => a * b, 1) / p.q.blockSize);
        push(name, group, shape, { kind: "nf4", blockSize: p.q.blockSize, blocks, doubleQuant: dq ? { offset: dq.offset, blockSize: dq.blockSize, scales: dq.scales.length } : null }, parts);
      } else {
        const values = v.dataSync() as Float32Array;
        const sparse = mask ? encodeSparse(values, mask) : null;
        // A barely pruned matrix is smaller dense (the mask costs 1 bit per value).
        if (sparse && sparse[0].byteLength + sparse[1].byteLength < values.byteLength) push(name, group, shape, { kind: "sparse", nonZero: sparse[1].byteLength / 4 }, sparse);
        else push(name, group, shape, { kind: "fp32" }, [bytesOf(values)]);
      }
    }
  }
  const bin = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    bin.set(c, at);
    at += c.byteLength;
  }
  return { entries, bin };
}

/** Bytes of the compressed weights file of a model. */
export function compressedBytes(model: LoadedModel, packed: Map<string, PackedTensor>, masks?: Map<string, Uint8Array>): number {
  return encodeCompressed(model, packed, masks).bin.byteLength;
}

function decode(e: Entry, data: Uint8Array): Float32Array {
  const n = e.shape.reduce((a, b) => a * b, 1);
  const f32 = (off: number, count: number) => new Float32Array(data.slice(off, off + count * 4).buffer);
  const enc = e.encoding;
  if (enc.kind === "fp32") return f32(0, n);
  if (enc.kind === "sparse") {
    const mask = unpackBits(data, 1, n);
    const kept = f32(Math.ceil(n / 8), enc.nonZero);
    const out = new Float32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i]) out[i] = kept[k++];
    return out;
  }
  if (enc.kind === "affine") {
    const { qmin } = quantRange(enc.bits, enc.scheme);
    const codeBytes = Math.ceil((n * enc.bits) / 8);
    const codes = unpackBits(data, enc.bits, n).map((c) => c + qmin);
    const scales = f32(codeBytes, enc.channels);
    const zeroPoints = enc.scheme === "asymmetric" ? unpackBits(data.subarray(codeBytes + enc.channels * 4), Math.ceil(enc.bits / 8) * 8, enc.channels) : new Int32Array(enc.channels);
    const q: AffineQuantized = { kind: "affine", bits: enc.bits, scheme: enc.scheme, shape: e.shape, axis: enc.axis, scales, zeroPoints, codes };
    if (affineBytes(q) !== e.bytes) throw new Error(`compressed checkpoint: entry '${e.name}' holds ${e.bytes} bytes, expected ${affineBytes(q)}`);
    return dequantizeAffine(q);
  }
  const codes = data.slice(0, Math.ceil(n / 2));
  const dq = enc.doubleQuant;
  const rest = codes.byteLength;
  return dequantizeValues({
    bits: 4,
    shape: e.shape,
    blockSize: enc.blockSize,
    codes,
    absmax: dq ? null : f32(rest, enc.blocks),
    doubleQuant: dq ? { codes: new Int8Array(data.slice(rest, rest + enc.blocks).buffer), scales: f32(rest + enc.blocks, dq.scales), offset: dq.offset, blockSize: dq.blockSize } : null,
  });
}

/** Writes dir/compressed.json and dir/compressed.bin (temporaries renamed, so no partial checkpoint). */
export async function saveCompressedCheckpoint(outcome: Pick<CompressionOutcome, "model" | "packed" | "masks" | "activations" | "technique" | "label" | "config">, dir: string): Promise<{ dir: string; bytes: number }> {
  const { model } = outcome;
  const { entries, bin } = encodeCompressed(model, outcome.packed, outcome.masks);
  const manifest: Manifest = {
    format: COMPRESSED_FORMAT,
    name: model.name,
    config: model.config,
    method: model.method,
    pretraining: model.pretraining ?? null,
    metadata: { ...model.metadata, compression: { technique: outcome.technique, label: outcome.label, config: outcome.config } },
    entries,
    ...(outcome.activations ? { activations: Object.fromEntries(outcome.activations) } : {}),
    savedAt: new Date().toISOString(),
  };
  await writeCheckpointFiles(dir, [["compressed.bin", bin], ["compressed.json", JSON.stringify(manifest, null, 1)]]);
  return { dir, bytes: bin.byteLength };
}

/** Loads a compressed checkpoint into an fp32 model (weights dequantized, pruned entries zero,
 *  activation fake quantization re-attached when the checkpoint has it). */
export async function loadCompressedCheckpoint(dir: string): Promise<LoadedModel> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, "compressed.json"), "utf8"));
  } catch (err) {
    throw new Error(`compressed checkpoint '${dir}': cannot read compressed.json (${(err as Error).message})`);
  }
  if (manifest.format !== COMPRESSED_FORMAT) throw new Error(`compressed checkpoint '${dir}': format '${manifest.format}' is not ${COMPRESSED_FORMAT}`);
  const bin = new Uint8Array(await readFile(path.join(dir, "compressed.bin")));
  const model: LoadedModel = {
    name: manifest.name,
    config: manifest.config,
    weights: new Map(),
    extra: new Map(),
    method: manifest.method,
    pretraining: manifest.pretraining ?? undefined,
    metadata: manifest.metadata ?? {},
  };
  for (const e of manifest.entries) {
    if (e.offset + e.bytes > bin.byteLength) throw new Error(`compressed checkpoint '${dir}': compressed.bin is truncated at '${e.name}'`);
    const values = decode(e, bin.slice(e.offset, e.offset + e.bytes));
    const t = tf.tensor(values, e.shape);
    (e.group === "weights" ? model.weights : model.extra).set(e.name, tf.variable(t, true, `${model.name}/${e.name}/${uid()}`));
    t.dispose();
  }
  if (manifest.activations) model.transforms = activationTransforms(new Map(Object.entries(manifest.activations)));
  return model;
}

