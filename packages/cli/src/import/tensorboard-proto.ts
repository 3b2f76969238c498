import protobuf from "protobufjs";

/**
 * The subset of TensorBoard's event protos (tensorboard/compat/proto/event.proto, summary.proto,
 * tensor.proto, tensor_shape.proto and plugins/hparams/plugin_data.proto) that the importer reads,
 * with the same field numbers. Fields left out are skipped by the decoder as unknown fields.
 */
const TENSORBOARD_PROTO = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
    SessionLog session_log = 7;
    bytes meta_graph_def = 9;
  }
}

message SessionLog {
  enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
  SessionStatus status = 1;
  string checkpoint_path = 2;
  string msg = 3;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  int32 data_class = 4;
}

message Summary {
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      bytes image = 4;
      bytes histo = 5;
      bytes audio = 6;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated int32 half_val = 13 [packed = true];
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
  repeated uint32 uint32_val = 16 [packed = true];
  repeated uint64 uint64_val = 17 [packed = true];
}
`;

const HPARAMS_PROTO = `
syntax = "proto3";
package tensorboard.hparams;

message HParamsPluginData {
  int32 version = 1;
  oneof data {
    bytes experiment = 2;
    SessionStartInfo session_start_info = 3;
    SessionEndInfo session_end_info = 4;
  }
}

message SessionStartInfo {
  map<string, google.protobuf.Value> hparams = 1;
  string model_uri = 2;
  string monitor_url = 3;
  string group_name = 4;
  double start_time_secs = 5;
}

enum Status { STATUS_UNKNOWN = 0; STATUS_SUCCESS = 1; STATUS_FAILURE = 2; STATUS_RUNNING = 3; }

message SessionEndInfo {
  Status status = 1;
  double end_time_secs = 2;
}
`;

/** google/protobuf/struct.proto's Value, which session_start_info's hparams map holds. */
const STRUCT_PROTO = `
syntax = "proto3";
package google.protobuf;
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    int32 null_value = 1;
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
    Struct struct_value = 5;
    ListValue list_value = 6;
  }
}
message ListValue { repeated Value values = 1; }
`;

const root = new protobuf.Root();
protobuf.parse(STRUCT_PROTO, root, { keepCase: true });
protobuf.parse(TENSORBOARD_PROTO, root, { keepCase: true });
protobuf.parse(HPARAMS_PROTO, root, { keepCase: true });
root.resolveAll();

export const EventType = root.lookupType("tensorboard.Event");
export const HParamsPluginDataType = root.lookupType("tensorboard.hparams.HParamsPluginData");
export const TensorProtoType = root.lookupType("tensorboard.TensorProto");
export const SummaryType = root.lookupType("tensorboard.Summary");

/** DataType numbers of tensorboard/compat/proto/types.proto that a scalar can have. */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, UINT8: 4, INT16: 5, INT8: 6, INT64: 9, BOOL: 10, BFLOAT16: 14, UINT16: 17, HALF: 19, UINT32: 22, UINT64: 23 } as const;

/** An int64 as protobufjs decodes it (a Long when `long` is installed) → a JS number. */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (value && typeof (value as { toNumber?: () => number }).toNumber === "function") return (value as { toNumber: () => number }).toNumber();
  return Number(value);
}
