import { expect } from "chai";

import {
  inverseNormalCdf,
  lognormalFromMedianP99,
  makeSampler,
  type Sampler,
  Z_99,
} from "../../sim/distributions.js";
import { isUserError } from "../../sim/errors.js";
import { RandomStreams, type Rng } from "../../sim/random.js";
import { bonferroniZ } from "../statistics.js";

/*
 * Statistical checks draw N samples from a fixed stream, so every run sees the same numbers; the
 * tolerances are still tight enough that a wrong formula fails. A sample mean is checked against
 * the exact mean within 4 standard errors, SE = sqrt(Var / N) with Var from the closed form; a
 * sample proportion against its probability within 4 binomial standard errors sqrt(p(1 - p) / N).
 * One such check fails a correct sampler for about 1 seed in 15,800; a test of k proportions
 * together widens each to bonferroniZ(k) standard errors, so that it keeps that rate as a whole.
 */
const N = 200_000;
const FIELD = "environments.api.coldStart";

function draw(sampler: Sampler, streamName: string, count = N): Float64Array {
  const rng = new RandomStreams("test").stream(streamName);
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) samples[i] = sampler.sample(rng);
  return samples;
}

function meanOf(samples: Float64Array): number {
  let total = 0;
  for (const x of samples) total += x;
  return total / samples.length;
}

function minOf(samples: Float64Array): number {
  return samples.reduce((low, x) => Math.min(low, x), Infinity);
}

function maxOf(samples: Float64Array): number {
  return samples.reduce((high, x) => Math.max(high, x), -Infinity);
}

function fractionAbove(samples: Float64Array, x: number): number {
  let count = 0;
  for (const sample of samples) if (sample > x) count++;
  return count / samples.length;
}

/** The empirical p-quantile: the order statistic at floor(p (N - 1)). */
function quantile(samples: Float64Array, p: number): number {
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.floor(p * (sorted.length - 1))];
}

function expectMeanWithin4SE(samples: Float64Array, mean: number, variance: number): void {
  const standardError = Math.sqrt(variance / samples.length);
  expect(Math.abs(meanOf(samples) - mean)).to.be.at.most(4 * standardError);
}

/** Within 4 binomial standard errors, or z of them for one of several checks (bonferroniZ). */
function expectProportionWithin4SE(observed: number, probability: number, z = 4): void {
  const standardError = Math.sqrt((probability * (1 - probability)) / N);
  expect(Math.abs(observed - probability)).to.be.at.most(z * standardError);
}

function expectRejected(spec: unknown, code: string, ...fragments: string[]): string {
  let caught: unknown;
  try {
    makeSampler(spec, FIELD);
  } catch (error) {
    caught = error;
  }

  expect(isUserError(caught), "throws a UserError").to.equal(true);
  if (!isUserError(caught)) return "";
  expect(caught.code).to.equal(code);
  expect(caught.message).to.match(new RegExp(`^${FIELD.replace(/\./g, "\\.")}[.:\\[]`));
  expect(caught.message).not.to.include("\n");
  for (const fragment of fragments) expect(caught.message).to.include(fragment);
  return caught.message;
}

const rejects = (spec: unknown, ...fragments: string[]) =>
  expectRejected(spec, "BAD_DISTRIBUTION", ...fragments);

describe("inverseNormalCdf", () => {
  // Reference values from scipy.special.ndtri (Cephes), agreeing with AS 241 to 1e-15.
  const cases: [number, number][] = [
    [0.5, 0],
    [0.3, -0.5244005127080409],
    [0.8413447460685429, 1.0],
    [0.925, 1.4395314709384563],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [1e-5, -4.264890793922825],
    [1e-10, -6.361340902404056],
    [1e-300, -37.0470962993612],
  ];

  for (const [p, z] of cases) {
    it(`inverseNormalCdf(${p}) is ${z} within 1e-15 relative`, () => {
      expect(inverseNormalCdf(p)).to.be.closeTo(z, 1e-15 * Math.max(1, Math.abs(z)));
    });
  }

  it("inverseNormalCdf(1 - p) is -inverseNormalCdf(p) within 1e-12 (symmetry)", () => {
    for (const p of [0.001, 0.1, 0.2, 0.4]) {
      expect(inverseNormalCdf(1 - p)).to.be.closeTo(-inverseNormalCdf(p), 1e-12);
    }
  });

  it("inverseNormalCdf(0) and (1) are -Infinity and Infinity; outside [0, 1] NaN", () => {
    expect(inverseNormalCdf(0)).to.equal(-Infinity);
    expect(inverseNormalCdf(1)).to.equal(Infinity);
    expect(Number.isNaN(inverseNormalCdf(-0.1))).to.equal(true);
    expect(Number.isNaN(inverseNormalCdf(1.1))).to.equal(true);
    expect(Number.isNaN(inverseNormalCdf(NaN))).to.equal(true);
  });

  it("Z_99 is inverseNormalCdf(0.99)", () => {
    expect(inverseNormalCdf(0.99)).to.be.closeTo(Z_99, 1e-15);
  });
});

describe("lognormalFromMedianP99", () => {
  it("lognormalFromMedianP99(20, 90) is mu = ln 20, sigma = ln 4.5 / z_0.99", () => {
    const { mu, sigma } = lognormalFromMedianP99(20, 90);
    expect(mu).to.be.closeTo(Math.log(20), 1e-15);
    expect(sigma).to.be.closeTo(Math.log(4.5) / 2.3263478740408408, 1e-15);
  });
});

describe("makeSampler constant", () => {
  it('makeSampler({dist: "constant", value: "5s"}) always returns 5 with mean 5', () => {
    const sampler = makeSampler({ dist: "constant", value: "5s" }, FIELD);
    expect(new Set(draw(sampler, "constant", 1000))).to.deep.equal(new Set([5]));
    expect(sampler.mean).to.equal(5);
  });

  it('makeSampler({dist: "constant", value: 0}) is allowed and returns 0', () => {
    const sampler = makeSampler({ dist: "constant", value: 0 }, FIELD);
    expect(sampler.sample(() => 0.5)).to.equal(0);
    expect(sampler.mean).to.equal(0);
  });
});

describe("makeSampler uniform", () => {
  const sampler = makeSampler({ dist: "uniform", min: "2s", max: "10s" }, FIELD);
  const samples = draw(sampler, "uniform");

  it("uniform(2s, 10s) mean is within 4 SE of (a + b) / 2, Var = (b - a)^2 / 12", () => {
    expect(sampler.mean).to.equal(6);
    expectMeanWithin4SE(samples, 6, 64 / 12);
  });

  it("uniform(2s, 10s) samples lie in [2, 10) and reach within 0.001 of both ends", () => {
    // P(no sample within 0.001 of an end) = (1 - 0.001 / 8)^N, about 1e-11.
    const low = minOf(samples);
    const high = maxOf(samples);
    expect(low).to.be.at.least(2).and.below(2.001);
    expect(high).to.be.below(10).and.above(9.999);
  });

  it("uniform(2s, 10s) P(X > 4) is within 4 binomial SE of 0.75", () => {
    expectProportionWithin4SE(fractionAbove(samples, 4), 0.75);
  });

  it('makeSampler({dist: "uniform", min: 3, max: 3}) is the constant 3', () => {
    const degenerate = makeSampler({ dist: "uniform", min: 3, max: 3 }, FIELD);
    expect(degenerate.sample(() => 0.7)).to.equal(3);
  });
});

describe("makeSampler exponential", () => {
  const sampler = makeSampler({ dist: "exponential", mean: "30s" }, FIELD);
  const samples = draw(sampler, "exponential");

  it("exponential(mean 30s) mean is within 4 SE of 30, Var = mean^2", () => {
    expect(sampler.mean).to.equal(30);
    expectMeanWithin4SE(samples, 30, 900);
  });

  it("exponential(mean 30s) P(X > mean) is within 4 binomial SE of e^-1", () => {
    expectProportionWithin4SE(fractionAbove(samples, 30), Math.exp(-1));
  });

  it("exponential(mean 30s) P(X > 3 mean) is within 4 binomial SE of e^-3", () => {
    expectProportionWithin4SE(fractionAbove(samples, 90), Math.exp(-3));
  });

  it("exponential sample at u = 0 is 0, not negative or NaN", () => {
    expect(sampler.sample(() => 0)).to.equal(0);
  });
});

describe("makeSampler lognormal", () => {
  const sampler = makeSampler({ dist: "lognormal", median: "20s", p99: "90s" }, FIELD);
  const samples = draw(sampler, "lognormal");
  const { mu, sigma } = lognormalFromMedianP99(20, 90);

  it("lognormal(median 20s, p99 90s) mean is within 4 SE of exp(mu + sigma^2 / 2)", () => {
    // Var = (exp(sigma^2) - 1) exp(2 mu + sigma^2), the lognormal's variance.
    const mean = Math.exp(mu + (sigma * sigma) / 2);
    const variance = (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma);
    expect(sampler.mean).to.be.closeTo(mean, 1e-12);
    expectMeanWithin4SE(samples, mean, variance);
  });

  it("lognormal(median 20s, p99 90s) empirical median within 1% of 20s, p99 within 2% of 90s", () => {
    // SE of the log of the sample median is about 0.0018 and of the p99 about 0.0054 here.
    expect(quantile(samples, 0.5)).to.be.closeTo(20, 0.2);
    expect(quantile(samples, 0.99)).to.be.closeTo(90, 1.8);
  });

  it('makeSampler({dist: "lognormal", mu, sigma}) matches the median/p99 form draw for draw', () => {
    const direct = makeSampler({ dist: "lognormal", mu, sigma }, FIELD);
    const again = draw(direct, "lognormal", 1000);
    for (let i = 0; i < again.length; i++) expect(again[i]).to.be.closeTo(samples[i], 1e-9);
  });

  it("lognormal sample at u = 0 is positive, about 8.2 sigma below the median (u taken as 2^-53)", () => {
    const value = sampler.sample(() => 0);
    expect(value).to.be.above(20 * Math.exp(-8.3 * sigma));
    expect(value).to.be.below(20 * Math.exp(-8 * sigma));
  });
});

describe("makeSampler empirical", () => {
  const values = [1, 1, 2, 5, 11];
  const sampler = makeSampler({ dist: "empirical", samples: ["1s", 1, "2s", 5, "11s"] }, FIELD);
  const samples = draw(sampler, "empirical");

  it("empirical([1, 1, 2, 5, 11]) mean is within 4 SE of 4, Var the population variance", () => {
    const variance = values.reduce((sum, x) => sum + (x - 4) ** 2, 0) / values.length;
    expect(sampler.mean).to.equal(4);
    expectMeanWithin4SE(samples, 4, variance);
  });

  it("empirical([1, 1, 2, 5, 11]) draws each value in proportion within z binomial SE (4 checks)", () => {
    for (const value of new Set(values)) {
      const expected = values.filter((x) => x === value).length / values.length;
      const observed = samples.filter((x) => x === value).length / N;
      expectProportionWithin4SE(observed, expected, bonferroniZ(4));
    }
    expect(new Set(samples)).to.deep.equal(new Set(values));
  });

  it("empirical sample at u just below 1 is the last value", () => {
    expect(sampler.sample(() => 1 - 2 ** -53)).to.equal(11);
  });
});

describe("makeSampler pareto", () => {
  it("pareto(scale 2s, shape 3) mean is within 4 SE of shape scale / (shape - 1)", () => {
    // Var = scale^2 shape / ((shape - 1)^2 (shape - 2)) for shape > 2.
    const sampler = makeSampler({ dist: "pareto", scale: "2s", shape: 3 }, FIELD);
    expect(sampler.mean).to.equal(3);
    expectMeanWithin4SE(draw(sampler, "pareto-3"), 3, (4 * 3) / (4 * 1));
  });

  it("pareto(scale 2s, shape 1.5) P(X > x) is (scale / x)^shape within z binomial SE (3 checks)", () => {
    const samples = draw(makeSampler({ dist: "pareto", scale: 2, shape: 1.5 }, FIELD), "pareto");
    expect(minOf(samples)).to.be.at.least(2);
    for (const x of [3, 10, 50])
      expectProportionWithin4SE(fractionAbove(samples, x), (2 / x) ** 1.5, bonferroniZ(3));
  });

  it("makeSampler(pareto with shape <= 1 and no cap) is rejected: its mean is infinite", () => {
    for (const shape of [1, 0.5]) {
      rejects(
        { dist: "pareto", scale: 1, shape },
        `${FIELD}.shape: expected a shape > 1, or a cap: with shape <= 1 and no cap the mean is infinite`,
        `got ${shape}`,
      );
    }
    const capped = makeSampler({ dist: "pareto", scale: 1, shape: 0.5, cap: 10 }, FIELD);
    expect(capped.mean).to.be.closeTo(1 + (Math.sqrt(10) - 1) / 0.5, 1e-12);
  });

  it("pareto(scale 1s, shape 1.5, cap 100s) clamps: max is the cap, P(X = cap) = (1/100)^1.5", () => {
    const sampler = makeSampler({ dist: "pareto", scale: "1s", shape: 1.5, cap: "100s" }, FIELD);
    const samples = draw(sampler, "pareto-capped");
    expect(maxOf(samples)).to.equal(100);
    const atCap = samples.filter((x) => x === 100).length / N;
    expectProportionWithin4SE(atCap, 100 ** -1.5);
  });

  it("pareto(scale 1s, shape 1.5, cap 100s) mean is within 4 SE of E[min(X, cap)]", () => {
    // E[min(X, c)] = s + s ((c/s)^(1-a) - 1) / (1 - a); E[min(X, c)^2] = s^2 + 2 s^a
    // (c^(2-a) - s^(2-a)) / (2 - a): integrals of P(X > x) and 2x P(X > x) from 0 to c.
    const [s, a, c] = [1, 1.5, 100];
    const mean = s + (s * ((c / s) ** (1 - a) - 1)) / (1 - a);
    const secondMoment = s * s + (2 * s ** a * (c ** (2 - a) - s ** (2 - a))) / (2 - a);
    const sampler = makeSampler({ dist: "pareto", scale: s, shape: a, cap: c }, FIELD);
    expect(sampler.mean).to.be.closeTo(mean, 1e-12);
    expectMeanWithin4SE(draw(sampler, "pareto-capped"), mean, secondMoment - mean * mean);
  });

  it("pareto(scale 2s, shape 1, cap 20s) mean is scale (1 + ln(cap / scale))", () => {
    const sampler = makeSampler({ dist: "pareto", scale: 2, shape: 1, cap: 20 }, FIELD);
    expect(sampler.mean).to.be.closeTo(2 * (1 + Math.log(10)), 1e-12);
  });
});

describe("makeSampler percentiles", () => {
  const points = { "0": "1s", "25": "2s", "50": 4, "90": "10s", "99.5": "30s", "100": "1m" };
  const pairs: [number, number][] = [
    [0, 1],
    [25, 2],
    [50, 4],
    [90, 10],
    [99.5, 30],
    [100, 60],
  ];
  const sampler = makeSampler({ dist: "percentiles", points }, FIELD);
  const samples = draw(sampler, "percentiles");

  it("percentiles mean is within 4 SE of the integral of the piecewise-linear inverse CDF", () => {
    // On a segment from (p0, a) to (p1, b): E[X] adds (p1 - p0)(a + b)/2 and E[X^2] adds
    // (p1 - p0)(a^2 + ab + b^2)/3.
    let mean = 0;
    let secondMoment = 0;
    for (let i = 0; i + 1 < pairs.length; i++) {
      const width = (pairs[i + 1][0] - pairs[i][0]) / 100;
      const [a, b] = [pairs[i][1], pairs[i + 1][1]];
      mean += (width * (a + b)) / 2;
      secondMoment += (width * (a * a + a * b + b * b)) / 3;
    }
    expect(sampler.mean).to.be.closeTo(mean, 1e-12);
    expectMeanWithin4SE(samples, mean, secondMoment - mean * mean);
  });

  it("percentiles: the share of samples at or below each point is its percentile, within z binomial SEs", () => {
    // At an inner point the share of N draws at or below it is a binomial proportion with mean
    // q = percent / 100 and standard error sqrt(q (1 - q) / N); each of the four is allowed
    // bonferroniZ(4) = 4.52 of them, so the test fails a correct sampler for 1 seed in 15,800.
    // At the ends the share is exactly 0 (a draw equals the minimum only for u = 0) and 1.
    const inner = pairs.filter(([percent]) => percent > 0 && percent < 100);
    const z = bonferroniZ(inner.length);
    for (const [percent, seconds] of pairs) {
      const q = percent / 100;
      const share = 1 - fractionAbove(samples, seconds);
      const standardError = Math.sqrt((q * (1 - q)) / samples.length);
      expect(share, `percentile ${percent}`).to.be.closeTo(q, z * standardError + 1e-12);
    }
  });

  it("percentiles interpolates linearly: u = 0.375 gives 3s, u = 0 gives 1s", () => {
    expect(sampler.sample(() => 0.375)).to.be.closeTo(3, 1e-12);
    expect(sampler.sample(() => 0)).to.equal(1);
  });

  it("percentiles accepts numeric keys and keys in any order", () => {
    const shuffled = makeSampler({ dist: "percentiles", points: { 100: 9, 0: 1, 50: 5 } }, FIELD);
    expect(shuffled.sample(() => 0.75)).to.be.closeTo(7, 1e-12);
    expect(shuffled.mean).to.be.closeTo(5, 1e-12);
  });
});

describe("makeSampler streams", () => {
  const specs: unknown[] = [
    { dist: "constant", value: 3 },
    { dist: "uniform", min: 1, max: 2 },
    { dist: "exponential", mean: 5 },
    { dist: "lognormal", median: 20, p99: 90 },
    { dist: "lognormal", mu: 1, sigma: 0.5 },
    { dist: "empirical", samples: [1, 2, 3] },
    { dist: "pareto", scale: 1, shape: 2 },
    { dist: "pareto", scale: 1, shape: 2, cap: 10 },
    { dist: "percentiles", points: { 0: 1, 50: 2, 100: 5 } },
  ];

  for (const spec of specs) {
    const name = JSON.stringify(spec);

    it(`makeSampler(${name}) calls rng exactly once per sample`, () => {
      const sampler = makeSampler(spec, FIELD);
      const inner = new RandomStreams("test").stream("count");
      let calls = 0;
      const counting: Rng = () => {
        calls++;
        return inner();
      };
      for (let i = 0; i < 1000; i++) sampler.sample(counting);
      expect(calls).to.equal(1000);
    });

    it(`makeSampler(${name}) repeats its sequence for the same seed, differs for another`, () => {
      const sampler = makeSampler(spec, FIELD);
      const take50 = (rng: Rng) => Array.from({ length: 50 }, () => sampler.sample(rng));
      const first = take50(new RandomStreams(7).stream("same"));
      const again = take50(new RandomStreams(7).stream("same"));
      const otherSeed = take50(new RandomStreams(8).stream("same"));
      expect(again).to.deep.equal(first);

      // A constant is the same under every seed; only its stream position differs.
      if (!name.includes("constant")) expect(otherSeed).not.to.deep.equal(first);
      for (const x of first) expect(x).to.be.at.least(0);
    });

    it(`makeSampler(${name}).spec is frozen seconds that rebuild the same sampler`, () => {
      const sampler = makeSampler(spec, FIELD);
      const rebuilt = makeSampler(JSON.parse(JSON.stringify(sampler.spec)), FIELD);
      expect(Object.isFrozen(sampler.spec)).to.equal(true);
      expect(rebuilt.mean).to.equal(sampler.mean);
      expect(rebuilt.describe()).to.equal(sampler.describe());
      const rng = new RandomStreams(1).stream("spec");
      const again = new RandomStreams(1).stream("spec");
      for (let i = 0; i < 20; i++) expect(rebuilt.sample(again)).to.equal(sampler.sample(rng));
    });
  }
});

describe("makeSampler describe", () => {
  const cases: [unknown, string][] = [
    [{ dist: "constant", value: "50ms" }, "constant(50ms)"],
    [{ dist: "uniform", min: "1s", max: "5m" }, "uniform(1s to 5m)"],
    [{ dist: "exponential", mean: 12.345 }, "exponential(mean 12.3s)"],
    [{ dist: "lognormal", median: "20s", p99: "90s" }, "lognormal(median 20s, p99 90s)"],
    [{ dist: "lognormal", mu: 3, sigma: 0.5 }, "lognormal(mu 3, sigma 0.5)"],
    [{ dist: "empirical", samples: [1, 2, 6] }, "empirical(3 samples, mean 3s)"],
    [{ dist: "pareto", scale: "1s", shape: 1.5, cap: "2h" }, "pareto(scale 1s, shape 1.5, cap 2h)"],
    [{ dist: "percentiles", points: { 0: 1, 100: 90 } }, "percentiles(p0 1s, p100 90s)"],
  ];

  for (const [spec, text] of cases) {
    it(`makeSampler(${JSON.stringify(spec)}).describe() is ${JSON.stringify(text)}`, () => {
      expect(makeSampler(spec, FIELD).describe()).to.equal(text);
    });
  }
});

describe("makeSampler rejections", () => {
  it("makeSampler rejects a value that is not a distribution object, quoting it", () => {
    rejects("5s", `${FIELD}: expected a distribution`, 'got "5s"');
    rejects(null, "got null");
    rejects([1, 2], "got [1,2]");
  });

  it("makeSampler rejects a missing dist, listing the known names", () => {
    rejects({ mean: 5 }, 'missing "dist"', "constant, uniform, exponential, lognormal");
  });

  it("makeSampler rejects a dist that is not a string, naming the dist field", () => {
    rejects({ dist: 5 }, `${FIELD}.dist: expected one of constant`, "got 5");
  });

  it('makeSampler rejects dist "lognormla", suggesting "lognormal" and listing all names', () => {
    const message = rejects({ dist: "lognormla", median: 1, p99: 2 }, `${FIELD}.dist:`);
    expect(message).to.include('unknown distribution "lognormla" (did you mean "lognormal"?)');
    expect(message).to.include(
      "constant, uniform, exponential, lognormal, empirical, pareto, percentiles",
    );
  });

  it('makeSampler rejects dist "Exponential", suggesting "exponential"', () => {
    rejects({ dist: "Exponential", mean: 1 }, '"Exponential" (did you mean "exponential"?)');
  });

  it('makeSampler rejects dist "gamma" without a far-fetched suggestion', () => {
    const message = rejects({ dist: "gamma" }, 'unknown distribution "gamma"');
    expect(message).not.to.include("did you mean");
  });

  it("makeSampler rejects an unknown parameter, naming it and suggesting the nearest", () => {
    rejects(
      { dist: "exponential", mena: "5s" },
      `${FIELD}: exponential does not take "mena" (did you mean "mean"?); it takes mean`,
    );
    rejects({ dist: "constant", value: 1, jitter: 2 }, 'does not take "jitter"', "it takes value");
  });

  it("makeSampler rejects a lognormal with only a median, listing the keys it got", () => {
    const message = expectRejected({ dist: "lognormal", median: "20s" }, "BAD_DISTRIBUTION");
    expect(message).to.equal(
      `${FIELD}: lognormal needs either median and p99, or mu and sigma; got keys ["median"]`,
    );
  });

  it("makeSampler rejects a lognormal mixing median/p99 with mu", () => {
    rejects({ dist: "lognormal", median: 1, p99: 2, mu: 0 }, 'got keys ["median","p99","mu"]');
  });

  it("makeSampler rejects a lognormal with p99 <= median or median 0", () => {
    rejects(
      { dist: "lognormal", median: "20s", p99: "20s" },
      `${FIELD}.p99: expected a duration > median (20s); got "20s"`,
    );
    rejects({ dist: "lognormal", median: 0, p99: 5 }, `${FIELD}.median:`, "> 0; got 0");
  });

  it("makeSampler rejects a lognormal sigma that is not a positive number", () => {
    rejects({ dist: "lognormal", mu: 1, sigma: 0 }, `${FIELD}.sigma: expected a number > 0; got 0`);
    rejects(
      { dist: "lognormal", mu: 1, sigma: "0.5" },
      `${FIELD}.sigma: expected a number; got "0.5"`,
    );
    rejects({ dist: "lognormal", mu: "3", sigma: 1 }, `${FIELD}.mu: expected a number; got "3"`);
  });

  it("makeSampler rejects a lognormal whose median or mean overflows", () => {
    rejects({ dist: "lognormal", mu: 800, sigma: 1 }, `${FIELD}.mu:`, "at most 709", "got 800");
    rejects({ dist: "lognormal", mu: 1, sigma: 40 }, `${FIELD}.sigma:`, "not a finite", "got 40");
  });

  it("makeSampler rejects a uniform with max < min or a missing max", () => {
    rejects(
      { dist: "uniform", min: "10s", max: "5s" },
      `${FIELD}.max: expected a duration >= min (10s); got "5s"`,
    );
    rejects({ dist: "uniform", min: 1 }, 'uniform needs min and max; got keys ["min"]');
  });

  it("makeSampler rejects an exponential with mean 0", () => {
    rejects({ dist: "exponential", mean: 0 }, `${FIELD}.mean: expected a duration > 0; got 0`);
  });

  it("makeSampler rejects empirical samples that are empty or not a list", () => {
    rejects({ dist: "empirical", samples: [] }, `${FIELD}.samples: expected a non-empty`, "got []");
    rejects({ dist: "empirical", samples: "5s" }, `${FIELD}.samples:`, 'got "5s"');
  });

  it("makeSampler rejects a pareto with scale 0, shape <= 0 or cap <= scale", () => {
    rejects({ dist: "pareto", scale: 0, shape: 2 }, `${FIELD}.scale: expected a duration > 0`);
    rejects(
      { dist: "pareto", scale: 1, shape: -1 },
      `${FIELD}.shape: expected a number > 0; got -1`,
    );
    rejects({ dist: "pareto", scale: 1, shape: "2" }, `${FIELD}.shape: expected a number; got "2"`);
    rejects(
      { dist: "pareto", scale: "2s", shape: 2, cap: "1s" },
      `${FIELD}.cap: expected a duration > scale (2s); got "1s"`,
    );
    rejects({ dist: "pareto", scale: 1 }, "pareto needs scale and shape", 'got keys ["scale"]');
  });

  it("makeSampler rejects percentile points that are not a map", () => {
    rejects(
      { dist: "percentiles", points: [1, 2] },
      `${FIELD}.points: expected a map`,
      "got [1,2]",
    );
  });

  it("makeSampler rejects percentile keys that are not numbers from 0 to 100", () => {
    const points = (extra: Record<string, number>) => ({ 0: 1, 100: 2, ...extra });
    rejects({ dist: "percentiles", points: points({ p50: 1 }) }, `${FIELD}.points:`, 'got "p50"');
    rejects({ dist: "percentiles", points: points({ 150: 1 }) }, 'got "150"');
    rejects({ dist: "percentiles", points: points({ "-5": 1 }) }, 'got "-5"');
  });

  it("makeSampler rejects the same percentile written twice", () => {
    rejects(
      { dist: "percentiles", points: { 0: 1, 50: 2, "50.0": 2, 100: 3 } },
      `${FIELD}.points: percentiles "50" and "50.0" are the same point`,
    );
  });

  it("makeSampler rejects percentile points without 0 or 100", () => {
    rejects(
      { dist: "percentiles", points: { 25: 1, 50: 2, 100: 3 } },
      `${FIELD}.points: needs percentiles 0 and 100; got keys ["25","50","100"]`,
    );
    rejects({ dist: "percentiles", points: { 0: 1, 50: 2 } }, "needs percentiles 0 and 100");
  });

  it("makeSampler rejects percentile durations that fall as the percentile rises", () => {
    rejects(
      { dist: "percentiles", points: { 0: "1s", 25: "10s", 50: "5s", 100: "20s" } },
      `${FIELD}.points["50"]: expected a duration at least the one at percentile 25, "10s" (10 s); got "5s" (5 s)`,
    );
  });

  it("makeSampler passes duration errors through with the sub-field's path", () => {
    const median = { dist: "lognormal", median: "fast", p99: "90s" };
    expectRejected(median, "BAD_DURATION", `${FIELD}.median:`, '"fast"');
    const sample = { dist: "empirical", samples: [1, "soon"] };
    expectRejected(sample, "BAD_DURATION", `${FIELD}.samples[1]:`, '"soon"');
    const point = { dist: "percentiles", points: { 0: 1, 50: "x", 100: 3 } };
    expectRejected(point, "BAD_DURATION", `${FIELD}.points["50"]:`, '"x"');
    const cap = { dist: "pareto", scale: 1, shape: 2, cap: null };
    expectRejected(cap, "BAD_DURATION", `${FIELD}.cap:`, "null");
  });
});
