// A LoadedModel as plain data (structured-clone safe), to build the same model in a worker thread.
import * as tf from "@tensorflow/tfjs-core";
import type { AppliedMethod, LoadedModel, ModelConfig, QuantizedWeight } from "../types";
import { uid } from "../models/create-model";

interface VariableData {
  name: string;
  shape: number[];
  values: Float32Array;
  trainable: boolean;
}

export interface ModelSnapshot {
  name: string;
  config: ModelConfig;
  method: AppliedMethod | null;
  weights: VariableData[];
  extra: VariableData[];
  quantized: [string, QuantizedWeight][] | null;
}

const dump = (vars: Map<string, tf.Variable>): VariableData[] =>
  [...vars].map(([name, v]) => ({ name, shape: [...v.shape], values: (v.dataSync() as Float32Array).slice(), trainable: v.trainable }));

/** Everything the forward pass reads: weights, PEFT parameters, the method, quantized weights.
 *  Not `transforms` (functions), metadata or the pretraining record. */
export function snapshotModel(model: LoadedModel): ModelSnapshot {
  return {
    name: model.name,
    config: model.config,
    method: model.method,
    weights: dump(model.weights),
    extra: dump(model.extra),
    quantized: model.quantized ? [...model.quantized] : null,
  };
}

const load = (vars: VariableData[], modelName: string) =>
  new Map(
    vars.map((d) => {
      const t = tf.tensor(d.values, d.shape, "float32");
      const v = tf.variable(t, d.trainable, `${modelName}/${d.name}/${uid()}`);
      t.dispose();
      return [d.name, v];
    }),
  );

export function restoreModel(s: ModelSnapshot): LoadedModel {
  return {
    name: s.name,
    config: s.config,
    weights: load(s.weights, s.name),
    extra: load(s.extra, s.name),
    method: s.method,
    quantized: s.quantized ? new Map(s.quantized) : undefined,
    metadata: {},
  };
}
