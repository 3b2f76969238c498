import { writeFileSync } from "node:fs";
import { EventType } from "../../src/import/tensorboard-proto";
import { frameTfRecord } from "../../src/import/tfrecord";

/** An Event as protobufjs' fromObject takes it (snake_case field names, as in the .proto). */
export type EventObject = Record<string, unknown>;

/** Writes an event file the way TensorFlow's writer frames it, starting with the file_version event. */
export function writeEventFile(path: string, events: EventObject[]): void {
  const all = [{ wall_time: 1_700_000_000, file_version: "brain.Event:2" }, ...events];
  writeFileSync(path, Buffer.concat(all.map((e) => frameTfRecord(EventType.encode(EventType.fromObject(e)).finish()))));
}

const SCALARS = { plugin_data: { plugin_name: "scalars" }, data_class: 1 };

/** A TF2 `tf.summary.scalar`: a rank-0 DT_FLOAT tensor; the plugin metadata only on a tag's first value. */
export function tf2Scalar(tag: string, step: number, tensor: Record<string, unknown>, first: boolean): EventObject {
  return { wall_time: 1_700_000_000 + step, step, summary: { value: [{ tag, tensor: { tensor_shape: {}, ...tensor }, ...(first ? { metadata: SCALARS } : {}) }] } };
}

export function simpleScalar(tag: string, step: number, value: number): EventObject {
  return { wall_time: 1_700_000_000 + step, step, summary: { value: [{ tag, simple_value: value }] } };
}
