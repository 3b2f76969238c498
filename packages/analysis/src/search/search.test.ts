import { describe, expect, it } from "vitest";
import { createRng } from "../math/rng";
import { medianStopping } from "./median-stopping";
import { sampleSpace } from "./search-space";
import { suggestTpe, type TpeObservation } from "./tpe";

const space = { lr: { min: 1e-4, max: 1, distribution: "log_uniform" as const }, layers: { min: 1, max: 4, distribution: "int_uniform" as const }, opt: { values: ["adam", "sgd", "rmsprop"] } };
/** Best near lr = 0.01, layers = 3, opt = adam. */
const loss = (a: Record<string, unknown>) => (Math.log10(a.lr as number) + 2) ** 2 + ((a.layers as number) - 3) ** 2 * 0.3 + (a.opt === "adam" ? 0 : 1);

describe("search", () => {
  it("sampleSpace draws inside each range, integers as integers, listed values only", () => {
    const rng = createRng(1);
    for (let i = 0; i < 200; i++) {
      const a = sampleSpace(space, rng);
      expect(a.lr).toBeGreaterThanOrEqual(1e-4);
      expect(a.lr).toBeLessThanOrEqual(1);
      expect([1, 2, 3, 4]).toContain(a.layers);
      expect(["adam", "sgd", "rmsprop"]).toContain(a.opt);
    }
  });

  it("TPE is deterministic and finds a better optimum than random search with the same budget", () => {
    const run = (useModel: boolean, seed: number) => {
      const history: TpeObservation[] = [];
      for (let i = 0; i < 40; i++) {
        const a = suggestTpe(space, history, { seed: seed * 1000 + i, startupTrials: useModel ? 8 : 1_000 });
        history.push({ assignment: a, loss: loss(a) });
      }
      return history;
    };
    expect(run(true, 3)).toEqual(run(true, 3));
    // Median over seeds of the best loss found: TPE's is lower, and more of its late trials pick adam.
    const best = (h: TpeObservation[]) => Math.min(...h.map((o) => o.loss));
    const seeds = [1, 2, 3, 4, 5, 6, 7];
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const tpe = median(seeds.map((s) => best(run(true, s))));
    const random = median(seeds.map((s) => best(run(false, s))));
    expect(tpe).toBeLessThan(random);
    const lateAdam = seeds.map((s) => run(true, s).slice(20).filter((o) => o.assignment.opt === "adam").length);
    expect(median(lateAdam)).toBeGreaterThan(20 / 3);
  });

  it("median stopping: stops a trial worse than the peers' median at its step, never before min step or with too few peers", () => {
    const curve = (offset: number, n: number) => ({ steps: Array.from({ length: n }, (_, i) => i), values: Array.from({ length: n }, (_, i) => offset + 1 / (i + 1)) });
    const peers = [curve(0, 10), curve(0.1, 10), curve(0.2, 10)];
    expect(medianStopping(curve(2, 4), peers, { minTrials: 3 })).toMatchObject({ stop: true, step: 3, peers: 3 });
    expect(medianStopping(curve(0.05, 4), peers, { minTrials: 3 }).stop).toBe(false);
    expect(medianStopping(curve(2, 4), peers, { minTrials: 4 })).toMatchObject({ stop: false, reason: "3 peer(s) reached step 3, need 4" });
    expect(medianStopping(curve(2, 4), peers, { minStep: 5 }).stop).toBe(false);
    // Peers that have not reached the step do not count.
    expect(medianStopping(curve(2, 8), [curve(0, 5), curve(0, 5), curve(0, 5)], { minTrials: 3 }).stop).toBe(false);
    // A diverged (NaN) trial is stopped once peers have finite values there.
    expect(medianStopping({ steps: [0, 1], values: [NaN, NaN] }, peers).stop).toBe(true);
  });
});
