// Checkpoints: our own file format and IO (tfjs-node's file:// handler is missing on wasm/cpu).
// dir/model.json holds config, method, pretraining record, metadata and a manifest of byte ranges
// in dir/weights.bin. Files are written to temporaries and renamed, so a crash leaves no partial checkpoint.
import * as tf from "@tensorflow/tfjs-core";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedModel, QuantizedWeight } from "../types";
import { uid } from "../models/create-model";

export const CHECKPOINT_FORMAT = "finetrack-checkpoint/1";

type Dtype = "float32" | "uint8" | "int8";
interface Entry {
  name: string;
  group: "weights" | "extra" | "q.codes" | "q.absmax" | "q.dq.codes" | "q.dq.scales";
  dtype: Dtype;
  shape: number[];
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
  quantized: { name: string; bits: 4 | 8; shape: number[]; blockSize: number; doubleQuant: { offset: number; blockSize: number } | null }[];
  entries: Entry[];
  savedAt: string;
}

/** Writes `dir/model.json` and `dir/weights.bin`; returns the bytes written. */
export async function saveCheckpoint(model: LoadedModel, dir: string): Promise<{ bytes: number; dir: string }> {
  const chunks: Uint8Array[] = [];
  const entries: Entry[] = [];
  let offset = 0;
  const push = (name: string, group: Entry["group"], dtype: Dtype, shape: number[], data: Float32Array | Uint8Array | Int8Array) => {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    chunks.push(bytes);
    entries.push({ name, group, dtype, shape, offset, bytes: bytes.byteLength });
    offset += bytes.byteLength;
  };
  for (const [group, map] of [["weights", model.weights], ["extra", model.extra]] as const) {
    for (const [name, v] of map) {
      // A qlora merge keeps a temporary fp32 copy next to the quantized base; the base is what we store.
      if (group === "weights" && model.quantized?.has(name)) continue;
      push(name, group, "float32", v.shape, (await v.data()) as Float32Array);
    }
  }
  const quantized: Manifest["quantized"] = [];
  for (const [name, q] of model.quantized ?? []) {
    quantized.push({ name, bits: q.bits, shape: q.shape, blockSize: q.blockSize, doubleQuant: q.doubleQuant ? { offset: q.doubleQuant.offset, blockSize: q.doubleQuant.blockSize } : null });
    push(name, "q.codes", "uint8", [q.codes.length], q.codes);
    if (q.absmax) push(name, "q.absmax", "float32", [q.absmax.length], q.absmax);
    if (q.doubleQuant) {
      push(name, "q.dq.codes", "int8", [q.doubleQuant.codes.length], q.doubleQuant.codes);
      push(name, "q.dq.scales", "float32", [q.doubleQuant.scales.length], q.doubleQuant.scales);
    }
  }
  const method = model.method ? { ...model.method, merged: model.method.merged && !model.quantized } : null;
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    name: model.name,
    config: model.config,
    method,
    pretraining: model.pretraining ?? null,
    metadata: model.metadata,
    quantized,
    entries,
    savedAt: new Date().toISOString(),
  };
  const bin = Buffer.concat(chunks);
  await writeCheckpointFiles(dir, [["weights.bin", bin], ["model.json", JSON.stringify(manifest, null, 1)]]);
  return { bytes: bin.byteLength, dir };
}

/**
 * Writes every file to a temporary name first and renames them only once all are written, in the
 * order given (data before the manifest that points at it), so a crash never leaves a manifest
 * describing missing or partial data.
 */
export async function writeCheckpointFiles(dir: string, files: [name: string, data: Uint8Array | string][]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${uid()}`;
  for (const [name, data] of files) await writeFile(path.join(dir, name + suffix), data);
  for (const [name] of files) await rename(path.join(dir, name + suffix), path.join(dir, name));
}

function view(bin: Buffer, e: Entry): Float32Array | Uint8Array | Int8Array {
  const copy = new Uint8Array(bin.subarray(e.offset, e.offset + e.bytes)).buffer;
  if (e.dtype === "float32") return new Float32Array(copy);
  if (e.dtype === "int8") return new Int8Array(copy);
  return new Uint8Array(copy);
}

/** Loads a checkpoint written by saveCheckpoint on any backend. */
export async function loadCheckpoint(dir: string): Promise<LoadedModel> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8"));
  } catch (err) {
    throw new Error(`checkpoint '${dir}': cannot read model.json (${(err as Error).message})`);
  }
  if (manifest.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint '${dir}': format '${manifest.format}' is not ${CHECKPOINT_FORMAT}`);
  const bin = await readFile(path.join(dir, "weights.bin"));
  const model: LoadedModel = {
    name: manifest.name,
    config: manifest.config,
    weights: new Map(),
    extra: new Map(),
    method: manifest.method,
    pretraining: manifest.pretraining ?? undefined,
    metadata: manifest.metadata ?? {},
  };
  const qparts = new Map<string, Partial<QuantizedWeight>>();
  for (const q of manifest.quantized) {
    qparts.set(q.name, { bits: q.bits, shape: q.shape, blockSize: q.blockSize, absmax: null, doubleQuant: q.doubleQuant ? { ...q.doubleQuant, codes: new Int8Array(), scales: new Float32Array() } : null });
  }
  const trainable = new Set(model.method?.trainable ?? [...manifest.entries.filter((e) => e.group === "weights").map((e) => e.name)]);
  for (const e of manifest.entries) {
    if (e.offset + e.bytes > bin.byteLength) throw new Error(`checkpoint '${dir}': weights.bin is truncated at '${e.name}'`);
    const data = view(bin, e);
    if (e.group === "weights" || e.group === "extra") {
      const t = tf.tensor(data as Float32Array, e.shape);
      const map = e.group === "weights" ? model.weights : model.extra;
      map.set(e.name, tf.variable(t, !model.method || trainable.has(e.name), `${model.name}/${e.name}/${uid()}`));
      t.dispose();
      continue;
    }
    const q = qparts.get(e.name)!;
    if (e.group === "q.codes") q.codes = data as Uint8Array;
    else if (e.group === "q.absmax") q.absmax = data as Float32Array;
    else if (e.group === "q.dq.codes") q.doubleQuant!.codes = data as Int8Array;
    else q.doubleQuant!.scales = data as Float32Array;
  }
  if (qparts.size > 0) model.quantized = new Map([...qparts].map(([n, q]) => [n, q as QuantizedWeight]));
  return model;
}
