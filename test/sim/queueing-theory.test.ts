import { expect } from "chai";
import { makeSampler } from "../../sim/distributions.js";
import { simulate } from "../../sim/simulation.js";
import { env, scenario } from "../helpers.js";

// The pool against queueing theory (MODEL.md §6). A fixed pool of c replicas with concurrency 1,
// exact timers, no cold start and TTLs far longer than any gap is a c-server FIFO queue.
//
// Tolerance: waits of successive tasks are correlated, so the standard error of the mean wait is
// estimated by batch means (30 batches of consecutive tasks, after a warm-up of 2% of the run),
// and the simulated mean must lie within 4 standard errors of the formula. With 4 SE a correct
// model fails about once in 15,000 seeds; the seed is fixed, so the test is deterministic.

/** Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda/mu. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

interface Observed {
  meanWait: number;
  standardError: number;
  waitedFraction: number;
  summaryMeanWait: number;
  busySlotSeconds: number;
  workSeconds: number;
  horizon: number;
  endSeconds: number;
  meanBusySlots: number;
}

async function simulateQueue(
  c: number,
  rate: number,
  duration: Record<string, unknown>,
  horizon: number,
): Promise<Observed> {
  const waits: number[] = [];
  let workSeconds = 0;
  const summary = await simulate(
    scenario(
      [env("queue", { replicas: c, idle_ttl: "30d", scaledown_ttl: "30d" })],
      [
        {
          kind: "synthetic",
          env: "queue",
          arrivals: { process: "poisson", rate },
          duration: makeSampler(duration, "duration"),
          async: false,
        },
      ],
      { horizonSeconds: horizon, seed: 11 },
    ),
    {
      onTaskEnd: (task) => {
        waits.push((task.startAt - task.arrivalAt) / 1e6);
        workSeconds += task.workMicros / 1e6;
      },
    },
  );

  const warmUp = Math.floor(waits.length * 0.02);
  const kept = waits.slice(warmUp);
  const batches = 30;
  const size = Math.floor(kept.length / batches);
  const means = Array.from({ length: batches }, (_, b) =>
    mean(kept.slice(b * size, (b + 1) * size)),
  );
  const grand = mean(means);
  const variance = means.reduce((s, m) => s + (m - grand) ** 2, 0) / (batches - 1);

  return {
    meanWait: grand,
    standardError: Math.sqrt(variance / batches),
    waitedFraction: kept.filter((w) => w > 0).length / kept.length,
    summaryMeanWait: summary.total.wait.mean,
    busySlotSeconds: summary.total.slotSeconds.busy,
    workSeconds,
    horizon,
    endSeconds: summary.endSeconds,
    meanBusySlots: summary.total.meanBusySlots,
  };
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

describe("simulate() against queueing theory", function () {
  this.timeout(120_000);

  it("M/M/3 at load 0.8: mean wait and P(wait > 0) match Erlang C", async () => {
    // lambda = 2.4/s, mean task 1 s, c = 3: a = 2.4, rho = 0.8.
    // P(wait > 0) = C(3, 2.4); Wq = C / (c mu - lambda) = C / 0.6.
    const c = 3;
    const rate = 2.4;
    const probabilityWait = erlangC(c, rate);
    const expectedWait = probabilityWait / (c - rate);
    const run = await simulateQueue(c, rate, { dist: "exponential", mean: 1 }, 150_000);

    expect(probabilityWait).to.be.closeTo(0.6472, 0.0001); // textbook value for c=3, a=2.4
    expect(Math.abs(run.meanWait - expectedWait)).to.be.below(4 * run.standardError);
    expect(run.waitedFraction).to.be.closeTo(probabilityWait, 0.01);
    // summary.json's mean covers every task; the batch mean drops the warm-up.
    expect(run.summaryMeanWait).to.be.closeTo(expectedWait, 6 * run.standardError);
  });

  it("M/M/1 at load 0.7: mean wait matches rho / (mu (1 - rho))", async () => {
    const run = await simulateQueue(1, 0.7, { dist: "exponential", mean: 1 }, 200_000);
    const expectedWait = 0.7 / (1 - 0.7);
    expect(Math.abs(run.meanWait - expectedWait)).to.be.below(4 * run.standardError);
    expect(run.waitedFraction).to.be.closeTo(0.7, 0.01); // P(wait > 0) = rho
  });

  it("M/D/1 at load 0.7: mean wait matches Pollaczek-Khinchine, rho / (2 mu (1 - rho))", async () => {
    const run = await simulateQueue(1, 0.7, { dist: "constant", value: 1 }, 200_000);
    const expectedWait = 0.7 / (2 * (1 - 0.7));
    expect(Math.abs(run.meanWait - expectedWait)).to.be.below(4 * run.standardError);
  });

  it("Little's law: mean busy slots = arrival rate x mean task time", async () => {
    const run = await simulateQueue(4, 2, { dist: "exponential", mean: 1.5 }, 100_000);
    // Conservation first: busy slot-seconds are exactly the work done (no overheads here).
    expect(run.busySlotSeconds).to.be.closeTo(run.workSeconds, 1e-3);
    // Then the law: over the arrival window, L = lambda W = 2 x 1.5 = 3 busy slots. The work in
    // the window is a compound Poisson sum: SE = sqrt(lambda T E[S^2]) / T = sqrt(2 x 4.5 / T).
    const perSecond = run.workSeconds / run.horizon;
    const standardError = Math.sqrt((2 * 2 * 1.5 ** 2) / run.horizon);
    expect(perSecond).to.be.closeTo(3, 4 * standardError);
  });
});
