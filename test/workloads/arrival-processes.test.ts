import { expect } from "chai";
import { RandomStreams } from "../../sim/random.js";
import type { ArrivalProcessSpec } from "../../sim/scenario.js";
import { makeArrivalProcess } from "../../workloads/arrival-processes.js";
import { batchMean, bonferroniZ } from "../statistics.js";

// Synthetic arrival processes against their parameters. Each test states its statistic and
// tolerance; the seed is fixed, so each test is deterministic. A test of one statistic allows 4
// standard errors (a correct generator fails it for about 1 seed in 15,800); a test of k bins
// widens each bin's tolerance by Bonferroni (bonferroniZ(k): 4.70 for 24 bins), so that the test
// as a whole still fails for at most 1 seed in 15,800. Batch-means tests state their own rate.

/** Arrival instants in seconds before `horizon`. */
function generate(spec: ArrivalProcessSpec, horizon: number, seed = 7): number[] {
  const process = makeArrivalProcess(spec);
  const rng = new RandomStreams(seed).stream("workload/0/arrivals");
  const times: number[] = [];
  for (
    let at = process.nextArrivalMicros(rng);
    at < horizon * 1e6;
    at = process.nextArrivalMicros(rng)
  ) {
    times.push(at / 1e6);
  }
  return times;
}

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, i) => time - times[i]);
}

function coefficientOfVariation(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}

/** Counts of `times` in bins of `width` seconds, folded over `period` when given. */
function histogram(
  times: readonly number[],
  width: number,
  bins: number,
  period = Infinity,
): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const time of times) counts[Math.floor((time % period) / width)]++;
  return counts;
}

describe("makeArrivalProcess: same seed, same stream", () => {
  const specs: ArrivalProcessSpec[] = [
    { process: "poisson", rate: 3 },
    {
      process: "bursty",
      on: { rate: 20, meanSojournSeconds: 10 },
      off: { rate: 1, meanSojournSeconds: 40 },
    },
    {
      process: "diurnal",
      shape: "sinusoidal",
      rate: 2,
      amplitude: 0.5,
      peakAtSeconds: 0,
      periodSeconds: 600,
    },
    { process: "periodic", everySeconds: 10, batch: 3, jitterSeconds: 5, offsetSeconds: 0 },
    { process: "ramp", fromRate: 1, toRate: 5, overSeconds: 100 },
  ];
  for (const spec of specs) {
    it(`${spec.process}: the same seed gives the same arrivals, another seed others`, () => {
      const first = generate(spec, 600, 1);
      expect(first.length).to.be.greaterThan(100);
      expect(generate(spec, 600, 1)).to.deep.equal(first);
      expect(generate(spec, 600, 2)).not.to.deep.equal(first);
    });
  }
});

describe("makeArrivalProcess: rates and inter-arrival CV", () => {
  it("poisson(rate 5): rate within 4 sqrt(lambda T) / T, gap CV within 4 / sqrt(n) of 1", () => {
    // The count in T is Poisson(lambda T). For n exponential gaps the sample CV has standard
    // error about 1 / sqrt(n) (delta method: Var(s^2 / m^2) = 4 / n, halved for the root).
    const [rate, horizon] = [5, 20_000];
    const times = generate({ process: "poisson", rate }, horizon);
    expect(times.length / horizon).to.be.closeTo(rate, (4 * Math.sqrt(rate * horizon)) / horizon);
    expect(coefficientOfVariation(gaps(times))).to.be.closeTo(1, 4 / Math.sqrt(times.length));
  });

  it("bursty(on 20/s for 10 s, off 1/s for 40 s): rate and CV of the MMPP's stationary gap", () => {
    const [on, off] = [
      { rate: 20, mean: 10 },
      { rate: 1, mean: 40 },
    ];
    const horizon = 200_000;
    const times = generate(
      {
        process: "bursty",
        on: { rate: on.rate, meanSojournSeconds: on.mean },
        off: { rate: off.rate, meanSojournSeconds: off.mean },
      },
      horizon,
    );

    // Mean rate: (20 x 10 + 1 x 40) / 50 = 4.8. The count in T has variance lambda T I, with the
    // asymptotic index of dispersion of a two-state MMPP (Fischer and Meier-Hellstern, 1993):
    // I = 1 + 2 (l1 - l2)^2 r1 r2 / ((r1 + r2)^3 lambda), r = 1 / mean sojourn.
    const [r1, r2] = [1 / on.mean, 1 / off.mean];
    const lambda = (on.rate * r2 + off.rate * r1) / (r1 + r2);
    const dispersion = 1 + (2 * (on.rate - off.rate) ** 2 * r1 * r2) / ((r1 + r2) ** 3 * lambda);
    const rateTolerance = (4 * Math.sqrt(lambda * horizon * dispersion)) / horizon;
    expect(times.length / horizon).to.be.closeTo(lambda, rateTolerance);

    // The gap between arrivals is phase-type (alpha, D0) with D0 = Q - diag(l) and alpha the
    // phase seen at an arrival, pi diag(l) / lambda; E[X^k] = k! alpha (-D0)^-k 1.
    const minusD0 = [
      [r1 + on.rate, -r1],
      [-r2, r2 + off.rate],
    ];
    const det = minusD0[0][0] * minusD0[1][1] - minusD0[0][1] * minusD0[1][0];
    const inverse = [
      [minusD0[1][1] / det, -minusD0[0][1] / det],
      [-minusD0[1][0] / det, minusD0[0][0] / det],
    ];
    const pi = [r2 / (r1 + r2), r1 / (r1 + r2)];
    const alpha = [(pi[0] * on.rate) / lambda, (pi[1] * off.rate) / lambda];
    const times1 = (v: number[]) => [
      inverse[0][0] * v[0] + inverse[0][1] * v[1],
      inverse[1][0] * v[0] + inverse[1][1] * v[1],
    ];
    const once = times1([1, 1]);
    const twice = times1(once);
    const mean = alpha[0] * once[0] + alpha[1] * once[1];
    const second = 2 * (alpha[0] * twice[0] + alpha[1] * twice[1]);
    const cv = Math.sqrt(second - mean * mean) / mean;
    expect(mean).to.be.closeTo(1 / lambda, 1e-12);

    // The gaps are correlated, so no simple standard error: over 40 seeds the sample CV of this
    // run length had a standard deviation of 0.7% of its value; allowed: 3% (over 4 of them).
    expect(coefficientOfVariation(gaps(times))).to.be.closeTo(cv, 0.03 * cv);
    expect(cv).to.be.greaterThan(2);
  });

  it("diurnal sinusoid: each hour's count over 5 days within z sqrt of its expected count (24 bins)", () => {
    // Thinning gives a non-homogeneous Poisson process: a bin's count is Poisson with mean the
    // integral of the rate over the bin, r dt + (r a / w) [sin(w (t2 - p)) - sin(w (t1 - p))].
    const [rate, amplitude, peakAt, day, days] = [2, 0.8, 14 * 3600, 86_400, 5];
    const spec: ArrivalProcessSpec = {
      process: "diurnal",
      shape: "sinusoidal",
      rate,
      amplitude,
      peakAtSeconds: peakAt,
      periodSeconds: day,
    };
    const counts = histogram(generate(spec, days * day), 3600, 24, day);
    const w = (2 * Math.PI) / day;
    const z = bonferroniZ(24);
    counts.forEach((count, hour) => {
      const [t1, t2] = [hour * 3600, (hour + 1) * 3600];
      const integral =
        rate * 3600 +
        ((rate * amplitude) / w) * (Math.sin(w * (t2 - peakAt)) - Math.sin(w * (t1 - peakAt)));
      expect(count, `hour ${hour}`).to.be.closeTo(days * integral, z * Math.sqrt(days * integral));
    });
    expect(counts[14]).to.be.greaterThan(5 * counts[2]);
  });

  it("diurnal piecewise (linear and step): each 6 h count within z sqrt of its integral (8 bins)", () => {
    const points = [
      { atSeconds: 0, rate: 1 },
      { atSeconds: 6 * 3600, rate: 1 },
      { atSeconds: 12 * 3600, rate: 5 },
      { atSeconds: 18 * 3600, rate: 2 },
    ];
    const days = 3;
    // Linear: a segment's integral is its mean rate (the trapezoid) times 6 h; it wraps 2 -> 1.
    const linear = [1, 3, 3.5, 1.5].map((mean) => mean * 6 * 3600 * days);
    // Step: each point's rate holds until the next point.
    const step = [1, 1, 5, 2].map((r) => r * 6 * 3600 * days);
    for (const [interpolation, expected] of [
      ["linear", linear],
      ["step", step],
    ] as const) {
      const spec: ArrivalProcessSpec = {
        process: "diurnal",
        shape: "piecewise",
        points,
        interpolation,
        periodSeconds: 86_400,
      };
      const counts = histogram(generate(spec, days * 86_400), 6 * 3600, 4, 86_400);
      counts.forEach((count, i) => {
        expect(count, `${interpolation} ${i}`).to.be.closeTo(
          expected[i],
          bonferroniZ(8) * Math.sqrt(expected[i]),
        );
      });
    }
  });

  it("periodic(batch 5 every 60 s, no jitter): exact ticks, gap CV exactly sqrt(5 - 1)", () => {
    // Gaps are 0 (four in a batch) and 60 s: mean 12, variance 3600 / 5 - 144 = 576, CV 2.
    const times = generate(
      { process: "periodic", everySeconds: 60, batch: 5, jitterSeconds: 0, offsetSeconds: 30 },
      6000,
    );
    expect(times.slice(0, 6)).to.deep.equal([30, 30, 30, 30, 30, 90]);
    expect(times.length).to.equal(500);
    // 100 whole batches: 400 gaps of 0 and 100 of 60 s, counting the gap to the next batch.
    const cycle = gaps(times).concat(60);
    expect(coefficientOfVariation(cycle)).to.be.closeTo(2, 0.01);
  });

  it("diurnal sinusoid(rate 2, amplitude 0.8, period 1 h): gap CV sqrt(2 / sqrt(1 - a^2) - 1), within 4 batch-means SE", () => {
    // A gap of a non-homogeneous Poisson process starts at time t with density lambda(t) / Lambda
    // over the period (the Palm distribution) and, where the rate barely moves over one gap, is
    // exponential at lambda(t): E[X] = 1 / r and E[X^2] = 2 mean(1 / lambda) / r, so
    // CV^2 = 2 r mean(1 / lambda) - 1 = 2 / sqrt(1 - a^2) - 1 (the mean of 1 / (1 + a cos) over a
    // period is 1 / sqrt(1 - a^2)). Here CV = 1.52753; integrating the Palm survival function
    // numerically gives 1.52749, a difference far below the tolerance.
    const [rate, amplitude, period, periods] = [2, 0.8, 3600, 30];
    const spec: ArrivalProcessSpec = {
      process: "diurnal",
      shape: "sinusoidal",
      rate,
      amplitude,
      peakAtSeconds: 0,
      periodSeconds: period,
    };
    const cv = Math.sqrt(2 / Math.sqrt(1 - amplitude ** 2) - 1);
    const times = generate(spec, periods * period);
    // Periods are independent (a Poisson process's counts in disjoint intervals are): one CV each.
    const perPeriod = Array.from({ length: periods }, (_, k) =>
      coefficientOfVariation(
        gaps(times.filter((time) => time >= k * period && time < (k + 1) * period)),
      ),
    );
    // (mean - CV) / SE has a Student t law with 29 degrees of freedom: P(|t| > 4) = 4e-4, so a
    // correct generator fails this test for about 1 seed in 2,500.
    const { mean, standardError } = batchMean(perPeriod);
    expect(mean).to.be.closeTo(cv, 4 * standardError);
    expect(standardError).to.be.below(0.01);
  });

  it("periodic(batch 4 every 60 s, jitter 10 s): gap CV from the spacings of uniforms, within 4 batch-means SE", () => {
    // Each tick's b tasks are b uniforms on [0, J) after it. Sorted, a spacing between two of them
    // is J Beta(1, b): E[s] = J / (b + 1), E[s^2] = 2 J^2 / ((b + 1)(b + 2)). Of every b gaps,
    // b - 1 are such spacings and one spans to the next tick: T - J + e + s' with e (after the
    // last) and s' (before the next tick's first) independent spacings. The mean gap is T / b.
    const [b, T, J] = [4, 60, 10];
    const spacing2 = (2 * J * J) / ((b + 1) * (b + 2));
    const spacing = J / (b + 1);
    const across = (T - J) ** 2 + 4 * (T - J) * spacing + 2 * spacing2 + 2 * spacing ** 2;
    const meanSquare = ((b - 1) * spacing2 + across) / b;
    const cv = Math.sqrt(meanSquare / (T / b) ** 2 - 1);

    const [batches, ticksPerBatch] = [30, 500];
    const spec: ArrivalProcessSpec = {
      process: "periodic",
      everySeconds: T,
      batch: b,
      jitterSeconds: J,
      offsetSeconds: 0,
    };
    const times = generate(spec, batches * ticksPerBatch * T);
    expect(times.length).to.equal(batches * ticksPerBatch * b);
    // A batch of 500 ticks: its 2,000 gaps, the last to the next batch's first task (or to the
    // tick after the last, which the run stops before: the last batch has one gap fewer).
    // Neighbouring batches share one task only: nearly independent.
    const size = ticksPerBatch * b;
    const perBatch = Array.from({ length: batches }, (_, k) =>
      coefficientOfVariation(gaps(times.slice(k * size, (k + 1) * size + 1))),
    );
    // Student t with 29 degrees of freedom: P(|t| > 4) = 4e-4, about 1 seed in 2,500.
    const { mean, standardError } = batchMean(perBatch);
    expect(mean).to.be.closeTo(cv, 4 * standardError);
    expect(cv).to.be.closeTo(1.50604, 1e-5);
  });

  it("periodic(batch 4 every 60 s, jitter 10 s): each batch inside [tick, tick + 10 s)", () => {
    const times = generate(
      { process: "periodic", everySeconds: 60, batch: 4, jitterSeconds: 10, offsetSeconds: 0 },
      600,
    );
    expect(times.length).to.equal(40);
    times.forEach((time, i) => {
      const tick = Math.floor(i / 4) * 60;
      expect(time).to.be.within(tick, tick + 10);
    });
    expect(new Set(times).size).to.be.greaterThan(35);
  });

  it("ramp(1/s to 9/s over 1000 s): each 100 s count within z sqrt of its integral, then 9/s (21 checks)", () => {
    const times = generate({ process: "ramp", fromRate: 1, toRate: 9, overSeconds: 1000 }, 2000);
    const counts = histogram(times, 100, 20);
    const z = bonferroniZ(21);
    counts.forEach((count, bin) => {
      // The rate at t is 1 + 8 t / 1000 up to 1000 s, then 9: a bin's integral is its midpoint rate.
      const middle = bin * 100 + 50;
      const expected = 100 * (middle < 1000 ? 1 + (8 * middle) / 1000 : 9);
      expect(count, `bin ${bin}`).to.be.closeTo(expected, z * Math.sqrt(expected));
    });

    // Time change: Lambda(t_k) - Lambda(t_k-1) are unit exponentials, CV 1 within z / sqrt(n).
    const integrated = (t: number) => (t <= 1000 ? t + (8 * t * t) / 2000 : 5000 + 9 * (t - 1000));
    const unit = gaps(times.map(integrated));
    expect(coefficientOfVariation(unit)).to.be.closeTo(1, z / Math.sqrt(unit.length));
  });

  it("ramp(5/s down to 0 over 100 s) ends: about 250 arrivals and none after 100 s", () => {
    const times = generate({ process: "ramp", fromRate: 5, toRate: 0, overSeconds: 100 }, 1e6);
    expect(times.length).to.be.closeTo(250, 4 * Math.sqrt(250));
    expect(Math.max(...times)).to.be.lessThan(100);
  });
});
