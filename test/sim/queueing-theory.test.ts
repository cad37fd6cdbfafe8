import { expect } from "chai";
import { makeSampler } from "../../sim/distributions.js";
import { simulate } from "../../sim/simulation.js";
import { env, scenario } from "../helpers.js";

// The pool against queueing theory (the model's rules in docs/model.md, section 6). A fixed pool
// of c replicas with concurrency 1, exact timers, no cold start and TTLs far longer than any gap
// is a c-server FIFO queue.
//
// Tolerance: waits of successive tasks are correlated, so the standard error of a mean (the mean
// wait, or the fraction of tasks that waited) is estimated by batch means: 30 batches of
// consecutive tasks, after a warm-up of 2% of the run. The simulated value must lie within 4
// standard errors of the formula. The batch means' statistic has a Student t distribution with
// 29 degrees of freedom, for which P(|t| > 4) is about 4e-4: a correct model fails about once in
// 2,500 seeds. The seed is fixed, so the test is deterministic. The standard errors are 2-3% of
// the mean wait and 0.2-0.5% of the fraction that waited, so an error in the model of a few
// percent fails.

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

interface Estimate {
  value: number;
  standardError: number;
}

interface Observed {
  meanWait: Estimate;
  waitedFraction: Estimate;
  /** Every task's wait, warm-up included, as recorded task by task. */
  allWaits: number[];
  summaryMeanWait: number;
  busySlotSeconds: number;
  workSeconds: number;
  horizon: number;
  endSeconds: number;
  meanBusySlots: number;
  meanWaiting: number;
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

  const kept = waits.slice(Math.floor(waits.length * 0.02));
  return {
    meanWait: batchMeans(kept),
    waitedFraction: batchMeans(kept.map((w) => (w > 0 ? 1 : 0))),
    allWaits: waits,
    summaryMeanWait: summary.total.wait.mean,
    busySlotSeconds: summary.total.slotSeconds.busy,
    workSeconds,
    horizon,
    endSeconds: summary.endSeconds,
    meanBusySlots: summary.total.meanBusySlots,
    meanWaiting: summary.total.meanWaiting,
  };
}

/** The mean of a correlated series and its standard error, from 30 batch means. */
function batchMeans(series: number[]): Estimate {
  const batches = 30;
  const size = Math.floor(series.length / batches);
  const means = Array.from({ length: batches }, (_, b) =>
    mean(series.slice(b * size, (b + 1) * size)),
  );
  const grand = mean(means);
  const variance = means.reduce((s, m) => s + (m - grand) ** 2, 0) / (batches - 1);
  return { value: grand, standardError: Math.sqrt(variance / batches) };
}

/** Whether an estimate lies within 4 of its standard errors of the theory's value. */
function expectWithin4SE(estimate: Estimate, expected: number): void {
  const bound = 4 * estimate.standardError;
  expect(Math.abs(estimate.value - expected), `${estimate.value} vs ${expected}`).to.be.below(
    bound,
  );
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
    expectWithin4SE(run.meanWait, expectedWait);
    expectWithin4SE(run.waitedFraction, probabilityWait);
  });

  it("M/M/1 at load 0.7: mean wait is rho / (mu (1 - rho)) and P(wait > 0) is rho", async () => {
    const run = await simulateQueue(1, 0.7, { dist: "exponential", mean: 1 }, 200_000);
    expectWithin4SE(run.meanWait, 0.7 / (1 - 0.7));
    expectWithin4SE(run.waitedFraction, 0.7);
  });

  it("M/D/1 at load 0.7: mean wait is Pollaczek-Khinchine's rho / (2 mu (1 - rho)), P(wait > 0) is rho", async () => {
    // For any M/G/1 queue an arrival waits exactly when the server is busy: P(wait > 0) = rho.
    const run = await simulateQueue(1, 0.7, { dist: "constant", value: 1 }, 200_000);
    expectWithin4SE(run.meanWait, 0.7 / (2 * (1 - 0.7)));
    expectWithin4SE(run.waitedFraction, 0.7);
  });

  it("summary.wait.mean is the exact mean of every task's wait", async () => {
    // The summary's mean is exact (only its percentiles come from a sketch); it is rounded to
    // the microsecond.
    const run = await simulateQueue(2, 1.5, { dist: "exponential", mean: 1 }, 20_000);
    expect(run.summaryMeanWait).to.be.closeTo(mean(run.allWaits), 1e-6);
  });

  it("Little's law: mean busy slots = arrival rate x mean task time", async () => {
    const run = await simulateQueue(4, 2, { dist: "exponential", mean: 1.5 }, 100_000);
    // Conservation first: busy slot-seconds are exactly the work done (no overheads here).
    expect(run.busySlotSeconds).to.be.closeTo(run.workSeconds, 1e-3);

    // Then the law, on the summary's own time average: meanBusySlots is averaged over the whole
    // run (0 to endSeconds, which includes the 30-day idle tail), so over the arrival window it
    // is meanBusySlots x endSeconds / horizon, and L = lambda W = 2 x 1.5 = 3 busy slots. The work
    // in the window is a compound Poisson sum: SE = sqrt(lambda T E[S^2]) / T = sqrt(2 x 4.5 / T).
    const busySlotsInWindow = (run.meanBusySlots * run.endSeconds) / run.horizon;
    const standardError = Math.sqrt((2 * 2 * 1.5 ** 2) / run.horizon);
    expect(busySlotsInWindow).to.be.closeTo(3, 4 * standardError);
  });

  it("Little's law for the queue: time-averaged waiting tasks x run length = the sum of the waits", async () => {
    // Each waiting task adds 1 to the waiting count for exactly its wait, so the integral of the
    // waiting count over the run equals the sum of the waits (exact up to the summary's rounding
    // of the mean to the microsecond, times the run's length).
    const run = await simulateQueue(1, 0.7, { dist: "exponential", mean: 1 }, 20_000);
    const waitingTaskSeconds = run.meanWaiting * run.endSeconds;
    const sumOfWaits = run.allWaits.reduce((s, w) => s + w, 0);
    expect(sumOfWaits).to.be.above(1000);
    expect(waitingTaskSeconds).to.be.closeTo(sumOfWaits, 1e-6 * run.endSeconds);
  });
});
