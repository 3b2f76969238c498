import { existsSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { recognizeFields } from "./model-files";
import { PointSet } from "./point-set";
import { readYamlObject } from "./read-files";
import { readBytes } from "./read-source";
import { DT, EventType, HParamsPluginDataType, toNumber } from "./tensorboard-proto";
import { readTfRecords } from "./tfrecord";
import { SourceError, type SourcePoint, type SourceRun } from "./types";

type TensorLike = {
  dtype?: number;
  tensor_shape?: { dim?: Array<{ size?: unknown }> };
  tensor_content?: Uint8Array;
  float_val?: number[];
  double_val?: number[];
  half_val?: number[];
  int_val?: number[];
  int64_val?: unknown[];
  uint32_val?: number[];
  uint64_val?: unknown[];
  bool_val?: boolean[];
};
type SummaryValue = { tag?: string; simple_value?: number; tensor?: TensorLike; value?: string; metadata?: { plugin_data?: { plugin_name?: string; content?: Uint8Array }; data_class?: number } };
type DecodedEvent = { wall_time?: number; step?: unknown; summary?: { value?: SummaryValue[] } };
type StructValue = { number_value?: number; string_value?: string; bool_value?: boolean; kind?: string };

/** What one event file holds. */
type EventFileRead = {
  points: SourcePoint[];
  hparams?: Record<string, unknown>;
  sessionEndStatus?: number;
  /** Tags of non-scalar plugins (images, histograms, text …), with their value counts. */
  otherPlugins: Map<string, number>;
};

/** 1 element, whatever the rank (a TF2 scalar summary is a rank-0 tensor). */
function elementCount(t: TensorLike): number {
  return (t.tensor_shape?.dim ?? []).reduce((n, d) => n * toNumber(d.size ?? 1), 1);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

/** The number a scalar tensor holds, from its typed field or its raw little-endian content. */
export function tensorScalar(t: TensorLike): number | undefined {
  if (elementCount(t) !== 1) return undefined;
  const raw = t.tensor_content && t.tensor_content.length ? Buffer.from(t.tensor_content) : undefined;
  switch (t.dtype) {
    case DT.FLOAT:
      return raw ? raw.readFloatLE(0) : t.float_val?.[0];
    case DT.DOUBLE:
      return raw ? raw.readDoubleLE(0) : t.double_val?.[0];
    case DT.HALF:
      return halfToFloat(raw ? raw.readUInt16LE(0) : (t.half_val?.[0] ?? Number.NaN));
    case DT.BFLOAT16:
      return bfloat16ToFloat(raw ? raw.readUInt16LE(0) : (t.half_val?.[0] ?? Number.NaN));
    case DT.INT32:
      return raw ? raw.readInt32LE(0) : t.int_val?.[0];
    case DT.INT16:
      return raw ? raw.readInt16LE(0) : t.int_val?.[0];
    case DT.INT8:
      return raw ? raw.readInt8(0) : t.int_val?.[0];
    case DT.UINT8:
      return raw ? raw.readUInt8(0) : t.int_val?.[0];
    case DT.UINT16:
      return raw ? raw.readUInt16LE(0) : t.int_val?.[0];
    case DT.UINT32:
      return raw ? raw.readUInt32LE(0) : t.uint32_val?.[0];
    case DT.INT64:
      return raw ? Number(raw.readBigInt64LE(0)) : t.int64_val?.length ? toNumber(t.int64_val[0]) : undefined;
    case DT.UINT64:
      return raw ? Number(raw.readBigUInt64LE(0)) : t.uint64_val?.length ? toNumber(t.uint64_val[0]) : undefined;
    case DT.BOOL:
      return raw ? raw.readUInt8(0) : t.bool_val?.length ? Number(t.bool_val[0]) : undefined;
    default:
      return undefined;
  }
}

/** A google.protobuf.Value by its set oneof member (decoded messages carry every default). */
function structValue(v: StructValue): unknown {
  if (v.kind === "number_value") return v.number_value;
  if (v.kind === "string_value") return v.string_value;
  if (v.kind === "bool_value") return v.bool_value;
  return null;
}

/** Scalars (simple_value or TF2 tensors), HParams session data, and a count of everything else. */
export function readEventFile(file: string, run: SourceRun): EventFileRead {
  const out: EventFileRead = { points: [], otherPlugins: new Map() };
  const { records, error } = readTfRecords(readBytes(file));
  if (error) run.problems.push({ file, where: `byte ${error.offset}`, message: `${error.message}; read the ${records.length} record(s) before it` });
  // Writers attach metadata only to a tag's first value: remember each tag's plugin.
  const pluginOf = new Map<string, string>();
  for (const [i, record] of records.entries()) {
    let event: DecodedEvent;
    try {
      event = EventType.decode(record) as unknown as DecodedEvent;
    } catch (e) {
      run.problems.push({ file, where: `record ${i + 1}`, message: `not an Event protobuf (${(e as Error).message})` });
      continue;
    }
    const step = toNumber(event.step ?? 0);
    const time = event.wall_time ? Math.round(event.wall_time * 1000) : undefined;
    for (const value of event.summary?.value ?? []) {
      const tag = value.tag ?? "";
      const declared = value.metadata?.plugin_data?.plugin_name;
      if (declared) pluginOf.set(tag, declared);
      const plugin = pluginOf.get(tag) ?? (value.value === "simple_value" ? "scalars" : "");
      if (plugin === "hparams") {
        try {
          readHparams(value.metadata?.plugin_data?.content, out);
        } catch (e) {
          run.problems.push({ file, where: `record ${i + 1}`, message: `HParams data of '${tag}' is not an HParamsPluginData protobuf (${(e as Error).message})` });
        }
        continue;
      }
      let number: number | undefined;
      if (value.value === "simple_value") number = value.simple_value;
      else if (value.value === "tensor" && value.tensor && (plugin === "scalars" || value.metadata?.data_class === 1 || plugin === "")) number = tensorScalar(value.tensor);
      if (number === undefined) {
        const kind = plugin || value.value || "unknown";
        out.otherPlugins.set(kind, (out.otherPlugins.get(kind) ?? 0) + 1);
        continue;
      }
      out.points.push({ key: tag, step, value: number, time });
    }
  }
  return out;
}

function readHparams(content: Uint8Array | undefined, out: EventFileRead): void {
  if (!content?.length) return;
  const data = HParamsPluginDataType.decode(content) as unknown as {
    session_start_info?: { hparams?: Record<string, StructValue>; group_name?: string; model_uri?: string };
    session_end_info?: { status?: number };
  };
  if (data.session_start_info) {
    out.hparams = {};
    for (const [k, v] of Object.entries(data.session_start_info.hparams ?? {})) out.hparams[k] = structValue(v);
  }
  if (data.session_end_info) out.sessionEndStatus = data.session_end_info.status;
}

/**
 * One run from the event files of a folder and of its hparams subfolders (`add_hparams` writes
 * from another writer into `<run>/<time.time()>/`): several files merge; a repeated (tag, step)
 * keeps the later file's value. An hparams writer's one-value scalars (its metric_dict) are the
 * run's final numbers: summary, not one-point curves. `prefixBySubdir` names each curve by the
 * subfolder it came from (Keras writes `epoch_loss` into both `train/` and `validation/`).
 * PyTorch Lightning's `hparams.yaml` beside the events is config too.
 */
export function readTensorBoard(dir: string, name: string, eventFiles: string[], options: { prefixBySubdir?: boolean } = {}): SourceRun {
  const run: SourceRun = { format: "tensorboard", source: dir, files: [], name, config: {}, summary: {}, status: "finished", points: [], skipped: [], problems: [] };
  const points = new PointSet("last");
  const other = new Map<string, number>();
  let outOfRange = 0;
  // Event file names carry their creation time: in name order, later writers win.
  const files = [...eventFiles].sort((a, b) => basename(a).localeCompare(basename(b)));
  for (const file of files) {
    const read = readEventFile(file, run);
    run.files.push(file);
    for (const [k, n] of read.otherPlugins) other.set(k, (other.get(k) ?? 0) + n);
    if (read.hparams) Object.assign(run.config, read.hparams);
    if (read.sessionEndStatus === 2) run.status = "failed";
    const hparamsWriter = dirname(file) !== dir && read.hparams !== undefined;
    const perTag = new Map<string, number>();
    for (const p of read.points) perTag.set(p.key, (perTag.get(p.key) ?? 0) + 1);
    const prefix = options.prefixBySubdir ? `${relative(dir, dirname(file)).split(sep)[0]}/` : "";
    for (const p of read.points) {
      const once = perTag.get(p.key) === 1;
      p.key = prefix + p.key;
      if (hparamsWriter && once) run.summary[p.key] = p.value;
      else if (!points.add(p)) outOfRange++;
    }
  }
  const lightning = join(dir, "hparams.yaml");
  if (existsSync(lightning)) {
    try {
      run.config = { ...readYamlObject(lightning), ...run.config };
      run.files.push(lightning);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      run.problems.push(error.toProblem());
    }
  }
  run.points = points.toArray();
  const firstMs = run.points.reduce((min, p) => (p.time !== undefined && p.time < min ? p.time : min), Number.POSITIVE_INFINITY);
  if (Number.isFinite(firstMs)) run.summary.started_at = new Date(firstMs).toISOString();
  if (outOfRange) run.skipped.push(`${outOfRange} value(s) at steps outside 0..2147483647`);
  for (const [kind, n] of other) run.skipped.push(`${n} ${kind} value(s): not scalars, not imported`);
  const repeats = points.describeRepeats();
  if (repeats) run.skipped.push(repeats);
  Object.assign(run, recognizeFields(run.config, {}));
  return run;
}
