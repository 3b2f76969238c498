import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REAL } from "../../test/import/fixture-paths";
import { simpleScalar, tf2Scalar, writeEventFile } from "../../test/import/write-events";
import { findSources } from "./find-sources";
import { readTensorBoard } from "./tensorboard";
import type { SourceRun } from "./types";

const curve = (run: SourceRun, key: string) => run.points.filter((p) => p.key === key);
const temp = () => mkdtempSync(join(tmpdir(), "ft-tb-"));

describe("TensorBoard event files", () => {
  it("makes one run per run folder of the real SummaryWriter output, its hparams subfolder merged in", () => {
    const { candidates } = findSources([`${REAL}tensorboard`]);
    expect(candidates.map((c) => c.format)).toEqual(["tensorboard", "tensorboard"]);
    const runs = candidates.map((c) => c.read());
    expect(runs.map((r) => r.name)).toEqual(["runs/lr-1e-3", "runs/lr-3e-3"]);
    for (const run of runs) {
      expect(run.files).toHaveLength(2);
      // every 5 steps from 0 to 195: 40 points per tag (fixture README)
      for (const key of ["Loss/train", "Loss/val", "learning_rate"]) expect(curve(run, key).map((p) => p.step)).toEqual(Array.from({ length: 40 }, (_, i) => i * 5));
      expect(run.points).toHaveLength(120);
      expect(run.problems).toEqual([]);
    }
    const [slow, fast] = runs;
    expect(fast.config).toEqual({ lr: 0.003, model: "tiny-gpt2", lora_rank: 8 });
    expect(slow.config.lr).toBe(0.001);
    // add_hparams' metric_dict value: a final number, not a one-point curve
    expect(fast.summary["hparam/best_val"]).toBeCloseTo(1.3, 6);
    expect(fast.points.some((p) => p.key.startsWith("hparam/"))).toBe(false);
    expect(curve(fast, "Loss/val").find((p) => p.step === 150)!.value).toBeNaN();
    expect(curve(fast, "Loss/train")[0].value).toBeCloseTo(2.6, 6);
    expect(curve(fast, "Loss/train")[0].time).toBe(Math.round(1796153202.7781272 * 1000));
    expect(fast.summary.started_at).toBe(new Date(Math.round(1796153202.7781272 * 1000)).toISOString());
  });

  it("reads TF2 scalars stored as tensors: float_val, tensor_content, double and half precision", () => {
    const dir = temp();
    const f32 = Buffer.alloc(4);
    f32.writeFloatLE(0.75);
    const f64 = Buffer.alloc(8);
    f64.writeDoubleLE(0.123456789);
    writeEventFile(join(dir, "events.out.tfevents.1700000000.host.1.v2"), [
      tf2Scalar("epoch_loss", 0, { dtype: 1, float_val: [1.5] }, true),
      tf2Scalar("epoch_loss", 1, { dtype: 1, tensor_content: f32 }, false),
      tf2Scalar("epoch_auc", 0, { dtype: 2, tensor_content: f64 }, true),
      tf2Scalar("epoch_auc", 1, { dtype: 2, double_val: [0.5] }, false),
      tf2Scalar("lr_half", 0, { dtype: 19, half_val: [0x3c00] }, true),
      { step: 0, summary: { value: [{ tag: "sample_image", metadata: { plugin_data: { plugin_name: "images" } }, tensor: { dtype: 7, string_val: [Buffer.from("png")] } }] } },
    ]);
    const run = readTensorBoard(dir, "keras", [join(dir, readdirSync(dir)[0])]);
    expect(curve(run, "epoch_loss").map((p) => p.value)).toEqual([1.5, 0.75]);
    expect(curve(run, "epoch_auc").map((p) => p.value)).toEqual([0.123456789, 0.5]);
    expect(curve(run, "lr_half")[0].value).toBe(1);
    expect(run.points).toHaveLength(5);
    expect(run.skipped).toContain("1 images value(s): not scalars, not imported");
  });

  it("merges several event files of one run folder; a step written again keeps the later file's value", () => {
    const dir = temp();
    writeEventFile(join(dir, "events.out.tfevents.1700000000.host.1.0"), [0, 1, 2, 3, 4].map((s) => simpleScalar("loss", s, 10 - s)));
    writeEventFile(join(dir, "events.out.tfevents.1700000500.host.2.0"), [4, 5, 6].map((s) => simpleScalar("loss", s, 100 + s)));
    const [candidate] = findSources([dir]).candidates;
    const run = candidate.read();
    expect(curve(run, "loss").map((p) => [p.step, p.value])).toEqual([[0, 10], [1, 9], [2, 8], [3, 7], [4, 104], [5, 105], [6, 106]]);
    expect(run.skipped.join()).toMatch(/1 repeated \(metric, step\) point\(s\), 1 with another value: kept the last/);
  });

  it("makes one run of Keras' train/ and validation/ folders, each curve named by its folder", () => {
    const dir = join(temp(), "logs/fit/20240101-120000");
    for (const [sub, offset] of [["train", 0], ["validation", 0.3]] as const) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeEventFile(join(dir, sub, `events.out.tfevents.1700000000.host.${sub}.v2`), [0, 1, 2].map((epoch) => tf2Scalar("epoch_loss", epoch, { dtype: 1, float_val: [1 / (epoch + 1) + offset] }, epoch === 0)));
    }
    const { candidates } = findSources([join(dir, "../..")]);
    expect(candidates.map((c) => c.dir)).toEqual([dir]);
    const run = candidates[0].read();
    expect(run.name).toBe("fit/20240101-120000");
    expect(curve(run, "train/epoch_loss").map((p) => p.value)).toEqual([1, 0.5, expect.closeTo(1 / 3, 6)]);
    expect(curve(run, "validation/epoch_loss")).toHaveLength(3);
    expect(run.points).toHaveLength(6);
  });

  it("reads PyTorch Lightning's hparams.yaml beside the events as config", () => {
    const dir = join(temp(), "lightning_logs/version_0");
    mkdirSync(dir, { recursive: true });
    writeEventFile(join(dir, "events.out.tfevents.1700000000.host.1.0"), [simpleScalar("train_loss", 0, 2), simpleScalar("val_loss", 0, 2.5)]);
    writeFileSync(join(dir, "hparams.yaml"), "learning_rate: 0.0003\nmodel_name_or_path: gpt2\nbatch_size: 32\n");
    const run = findSources([dir]).candidates[0].read();
    expect(run.config).toEqual({ learning_rate: 0.0003, model_name_or_path: "gpt2", batch_size: 32 });
    expect(run.baseModel).toBe("gpt2");
  });

  it("imports the records before a truncated or corrupt one and names the byte offset", () => {
    const dir = temp();
    const source = join(REAL, "tensorboard/runs/lr-1e-3/events.out.tfevents.1796153202.vm.28619.0");
    const bytes = readFileSync(source);
    writeFileSync(join(dir, "events.out.tfevents.1.cut"), bytes.subarray(0, bytes.length - 100));
    const cut = readTensorBoard(dir, "cut", [join(dir, "events.out.tfevents.1.cut")]);
    expect(cut.points.length).toBeGreaterThan(100);
    expect(cut.points.length).toBeLessThan(120);
    expect(cut.problems).toEqual([{ file: join(dir, "events.out.tfevents.1.cut"), where: expect.stringMatching(/^byte \d+$/), message: expect.stringMatching(/^truncated record.*read the \d+ record\(s\) before it$/) }]);

    const flipped = Buffer.from(bytes);
    flipped[2000] ^= 0x01;
    writeFileSync(join(dir, "events.out.tfevents.2.flipped"), flipped);
    const bad = readTensorBoard(dir, "flipped", [join(dir, "events.out.tfevents.2.flipped")]);
    expect(bad.problems[0].message).toMatch(/fails its CRC-32C check/);
    expect(bad.points.length).toBeGreaterThan(0);
  });

  it("names a Git LFS pointer in place of an event file", () => {
    const dir = temp();
    mkdirSync(join(dir, "run"));
    cpSync(join(REAL, "tensorboard/README.md"), join(dir, "run/README.md"));
    writeFileSync(join(dir, "run/events.out.tfevents.1.host"), "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 5924\n");
    const [candidate] = findSources([dir]).candidates;
    expect(() => candidate.read()).toThrow(/events\.out\.tfevents\.1\.host: a Git LFS pointer \(sha256:abc, 5,924 B \(5\.79 KiB\)\)/);
    copyFileSync(join(REAL, "tensorboard/runs/lr-1e-3/events.out.tfevents.1796153202.vm.28619.0"), join(dir, "run/events.out.tfevents.1.host"));
    expect(findSources([dir]).candidates[0].read().points).toHaveLength(120);
  });
});
