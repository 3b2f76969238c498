import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend";
import { countParams, createModel, disposeModel, transformerConfig } from "../models/create-model";
import { parseCompressSection } from "../config/compress-config";
import { defaultStudent, halfSizeConfig } from "./default-student";

beforeAll(async () => {
  await initBackend();
});

describe("default distillation student", () => {
  it("is about a quarter of a transformer teacher (ratio < 1), with the teacher's vocabulary and context", () => {
    const teacher = createModel("tiny", transformerConfig({ vocabSize: 259, contextLength: 64, layers: 2, width: 64, heads: 4 }), 1);
    const student = defaultStudent(teacher, 2);
    const ratio = countParams(student).total / countParams(teacher).total;
    expect(ratio).toBeGreaterThan(0.1);
    expect(ratio).toBeLessThan(0.5);
    expect(student.config).toMatchObject({ family: "transformer", vocabSize: 259, contextLength: 64, layers: 1, width: 32, heads: 4, ffnWidth: 128 });
    disposeModel(teacher);
    disposeModel(student);
  });

  it("halves every MLP hidden layer and keeps inputs and classes", () => {
    expect(halfSizeConfig({ family: "mlp", inputDim: 10, hidden: [32, 9], numClasses: 3 })).toEqual({ family: "mlp", inputDim: 10, hidden: [16, 4], numClasses: 3 });
  });

  it("keeps width a multiple of heads", () => {
    const c = halfSizeConfig(transformerConfig({ vocabSize: 259, contextLength: 8, layers: 1, width: 24, heads: 8 }));
    expect(c).toMatchObject({ width: 8, layers: 1 });
  });

  it("a distill step may leave the student out", () => {
    const s = parseCompressSection({ steps: [{ method: "distill" }] });
    expect(s.steps[0]).toMatchObject({ method: "distill", temperature: 2 });
    expect((s.steps[0] as { student?: string }).student).toBeUndefined();
  });
});
