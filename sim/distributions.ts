import { closest, distance } from "fastest-levenshtein";

import { parseDuration } from "./duration.js";
import { quote, UserError } from "./errors.js";
import type { Rng } from "./random.js";

/**
 * Probability distributions of lengths of time (cold starts, task durations, gaps between
 * arrivals) as a user writes them in a scenario. Every length is a duration: a number of seconds
 * or a string such as "90s" read by parseDuration. `mu`, `sigma` and `shape` are plain numbers.
 */
export type DistributionSpec =
  | { dist: "constant"; value: number | string }
  | { dist: "uniform"; min: number | string; max: number | string }
  | { dist: "exponential"; mean: number | string }
  | { dist: "lognormal"; median: number | string; p99: number | string }
  | { dist: "lognormal"; mu: number; sigma: number }
  | { dist: "empirical"; samples: (number | string)[] }
  | { dist: "pareto"; scale: number | string; shape: number; cap?: number | string }
  | { dist: "percentiles"; points: Record<string, number | string> };

/**
 * A validated distribution, ready to draw from.
 *
 * Every sampler, whatever its distribution, calls `rng()` exactly once per sample (the constant
 * one too, and throws the number away). A stream is therefore at the same position after n
 * samples whichever distribution consumed it, so editing one distribution never shifts the
 * draws that follow it on the same stream.
 */
export interface Sampler {
  /** One draw, in seconds, never negative. */
  sample(rng: Rng): number;
  /** The exact mean in seconds; always finite (a Pareto with shape <= 1 needs a cap). */
  readonly mean: number;
  /**
   * The distribution as frozen plain data with every duration in seconds. It is itself a valid
   * spec: makeSampler(sampler.spec, field) draws the same sequence.
   */
  readonly spec: object;
  /** Short text for reports, such as "lognormal(median 20s, p99 90s)". */
  describe(): string;
}

/** The standard normal quantile at 0.99, used to turn a median and p99 into a sigma. */
export const Z_99 = 2.3263478740408408;

type Params = Record<string, unknown>;
type Build = (params: Params, field: string) => Sampler;

/** Validate a user's distribution and build its sampler; throws UserError BAD_DISTRIBUTION. */
export function makeSampler(spec: unknown, field: string): Sampler {
  if (!isPlainObject(spec)) throw fail(field, messages.notADistribution(spec));

  if (!Object.hasOwn(spec, "dist")) throw fail(field, messages.missingDist());
  const build = builderFor(spec.dist, `${field}.dist`);

  return build(spec, field);
}

/** The (mu, sigma) of the lognormal whose median and 99th percentile are the ones given. */
export function lognormalFromMedianP99(median: number, p99: number): { mu: number; sigma: number } {
  return { mu: Math.log(median), sigma: Math.log(p99 / median) / Z_99 };
}

// ---------------------------------------------------------------------------------------------
// Messages. Each is the part after "<field>: ".

const messages = {
  notADistribution: (value: unknown) =>
    `expected a distribution such as {dist: "lognormal", median: "20s", p99: "90s"}; ` +
    `got ${quote(value)}`,
  missingDist: () => `missing "dist"; expected one of ${knownList()}`,
  distNotAString: (value: unknown) => `expected one of ${knownList()}; got ${quote(value)}`,
  unknownDist: (value: string, suggestion: string | undefined) =>
    `unknown distribution ${quote(value)}${didYouMean(suggestion)}; expected one of ${knownList()}`,
  unknownKey: (dist: string, key: string, suggestion: string | undefined, takes: string) =>
    `${dist} does not take ${quote(key)}${didYouMean(suggestion)}; it takes ${takes}`,
  wrongKeys: (dist: string, needs: string, keys: string[]) =>
    `${dist} needs ${needs}; got keys ${quote(keys)}`,
  notANumber: (value: unknown) => `expected a number; got ${quote(value)}`,
  expected: (what: string, value: unknown) => `expected ${what}; got ${quote(value)}`,
  muTooLarge: (largest: number, value: unknown) =>
    `expected a mu of at most ${largest} (the median, exp(mu) seconds, must be finite); ` +
    `got ${quote(value)}`,
  meanOverflows: (value: unknown) =>
    `too wide: the mean exp(mu + sigma^2 / 2) is not a finite number of seconds; ` +
    `got ${quote(value)}`,
  emptySamples: (value: unknown) =>
    `expected a non-empty list of durations such as ["1.2s", "3s", 900]; got ${quote(value)}`,
  notAPointMap: (value: unknown) =>
    `expected a map from percentile to duration such as {"0": "1s", "50": "4s", "100": "30s"}; ` +
    `got ${quote(value)}`,
  badPercentile: (key: string) =>
    `expected percentiles from 0 to 100 as keys, such as "50" or "99.9"; got ${quote(key)}`,
  samePercentile: (first: string, second: string) =>
    `percentiles ${quote(first)} and ${quote(second)} are the same point`,
  missingEnds: (keys: string[]) => `needs percentiles 0 and 100; got keys ${quote(keys)}`,
  infiniteMean: (value: unknown) =>
    "expected a shape > 1, or a cap: with shape <= 1 and no cap the mean is infinite, and a " +
    `run's mean duration would grow without bound with its largest draws; got ${quote(value)}`,
  decreasing: (previous: Written, value: Written) =>
    `expected a duration at least the one at percentile ${previous.key}, ` +
    `${quote(previous.value)} (${previous.seconds} s); got ${quote(value.value)} (${value.seconds} s)`,
};

/** A point as the user wrote it, and what it reads as: both go into a message, in one unit. */
interface Written {
  key: string;
  value: unknown;
  seconds: number;
}

function fail(field: string, message: string): UserError {
  return new UserError("BAD_DISTRIBUTION", `${field}: ${message}`);
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? "" : ` (did you mean ${quote(suggestion)}?)`;
}

function knownList(): string {
  return DIST_NAMES.join(", ");
}

// ---------------------------------------------------------------------------------------------
// Choosing a distribution and checking its parameter names.

const BUILDERS: Record<DistributionSpec["dist"], Build> = {
  constant: buildConstant,
  uniform: buildUniform,
  exponential: buildExponential,
  lognormal: buildLognormal,
  empirical: buildEmpirical,
  pareto: buildPareto,
  percentiles: buildPercentiles,
};

const DIST_NAMES = Object.keys(BUILDERS);

function builderFor(dist: unknown, field: string): Build {
  if (typeof dist !== "string") throw fail(field, messages.distNotAString(dist));

  if (!Object.hasOwn(BUILDERS, dist)) {
    throw fail(field, messages.unknownDist(dist, suggest(dist, DIST_NAMES)));
  }

  return BUILDERS[dist as DistributionSpec["dist"]];
}

/** The nearest known name, if it is near enough to be a typo rather than a different word. */
function suggest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const nearest = closest(lower, known);
  const tolerance = Math.max(2, Math.floor(nearest.length / 3));

  return distance(lower, nearest) <= tolerance ? nearest : undefined;
}

interface KeySet {
  required: readonly string[];
  optional?: readonly string[];
}

/**
 * The sets of parameters each distribution accepts; `takes` and `needs` are the words the
 * messages use for them.
 */
const PARAMETERS: Record<
  DistributionSpec["dist"],
  { sets: readonly KeySet[]; takes: string; needs?: string }
> = {
  constant: { sets: [{ required: ["value"] }], takes: "value" },
  uniform: { sets: [{ required: ["min", "max"] }], takes: "min and max" },
  exponential: { sets: [{ required: ["mean"] }], takes: "mean" },
  lognormal: {
    sets: [{ required: ["median", "p99"] }, { required: ["mu", "sigma"] }],
    takes: "median and p99, or mu and sigma",
    needs: "either median and p99, or mu and sigma",
  },
  empirical: { sets: [{ required: ["samples"] }], takes: "samples" },
  pareto: {
    sets: [{ required: ["scale", "shape"], optional: ["cap"] }],
    takes: "scale, shape and optionally cap",
    needs: "scale and shape",
  },
  percentiles: { sets: [{ required: ["points"] }], takes: "points" },
};

/** Every parameter a distribution takes besides `dist`; undefined for an unknown `dist`. */
export function distributionParameters(dist: string): readonly string[] | undefined {
  if (!Object.hasOwn(PARAMETERS, dist)) return undefined;
  return PARAMETERS[dist as DistributionSpec["dist"]].sets.flatMap((set) => [
    ...set.required,
    ...(set.optional ?? []),
  ]);
}

/**
 * Check the parameter names against the sets the distribution accepts and return the index of
 * the set that matched.
 */
function checkKeys(params: Params, field: string): number {
  const dist = String(params.dist);
  const { sets, takes, needs = takes } = PARAMETERS[dist as DistributionSpec["dist"]];
  const keys = Object.keys(params).filter((key) => key !== "dist");

  const known = distributionParameters(dist) ?? [];
  for (const key of keys) {
    if (!known.includes(key)) {
      throw fail(field, messages.unknownKey(dist, key, suggest(key, known), takes));
    }
  }

  const matched = sets.findIndex(
    (set) =>
      set.required.every((key) => keys.includes(key)) &&
      keys.every((key) => set.required.includes(key) || (set.optional ?? []).includes(key)),
  );
  if (matched < 0) throw fail(field, messages.wrongKeys(dist, needs, keys));

  return matched;
}

// ---------------------------------------------------------------------------------------------
// Reading parameter values. Duration errors come from parseDuration with the sub-field's path.

function readDuration(value: unknown, path: string): number {
  const seconds = parseDuration(value, path);

  // The duration parser owns the format; a negative or infinite length must not get past here.
  if (!(seconds >= 0 && Number.isFinite(seconds))) {
    throw fail(path, messages.expected("a finite duration >= 0", value));
  }

  return seconds;
}

function readNumber(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw fail(path, messages.notANumber(value));
  }

  return value;
}

/** Throw unless `number` (read from `value` at `path`) is above `floor`; `what` names the need. */
function requireAbove(number: number, floor: number, what: string, value: unknown, path: string) {
  if (!(number > floor)) throw fail(path, messages.expected(what, value));
}

function isPlainObject(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sampler(
  spec: object,
  mean: number,
  description: string,
  sample: (rng: Rng) => number,
): Sampler {
  return { sample, mean, spec: Object.freeze(spec), describe: () => description };
}

// ---------------------------------------------------------------------------------------------
// The distributions. Each draws exactly one uniform u in [0, 1) per sample.

function buildConstant(params: Params, field: string): Sampler {
  checkKeys(params, field);
  const value = readDuration(params.value, `${field}.value`);

  // The draw is discarded so that the stream advances as it would for any other distribution.
  const text = `constant(${formatSeconds(value)})`;
  return sampler({ dist: "constant", value }, value, text, (rng) => {
    rng();
    return value;
  });
}

function buildUniform(params: Params, field: string): Sampler {
  checkKeys(params, field);
  const min = readDuration(params.min, `${field}.min`);
  const max = readDuration(params.max, `${field}.max`);
  if (max < min) {
    const what = `a duration >= min (${formatSeconds(min)})`;
    throw fail(`${field}.max`, messages.expected(what, params.max));
  }

  const width = max - min;
  const text = `uniform(${formatSeconds(min)} to ${formatSeconds(max)})`;
  return sampler(
    { dist: "uniform", min, max },
    (min + max) / 2,
    text,
    (rng) => min + width * rng(),
  );
}

function buildExponential(params: Params, field: string): Sampler {
  checkKeys(params, field);
  const mean = readDuration(params.mean, `${field}.mean`);
  requireAbove(mean, 0, "a duration > 0", params.mean, `${field}.mean`);

  // Inversion: 1 - u lies in (0, 1], so the logarithm is finite.
  const text = `exponential(mean ${formatSeconds(mean)})`;
  return sampler({ dist: "exponential", mean }, mean, text, (rng) => -mean * Math.log(1 - rng()));
}

/** Stands in for u = 0, whose normal quantile is -Infinity: about 8.2 standard deviations down. */
const SMALLEST_P = 2 ** -53;

/** exp(709) is finite; exp(710) is not. */
const LARGEST_MU = 709;

interface LognormalForm {
  mu: number;
  sigma: number;
  spec: object;
  text: string;
  /** The parameter to blame when the mean overflows. */
  spreadKey: string;
}

/** Lognormal by inversion: exp(mu + sigma * z) with z the normal quantile of u (AS 241). */
function buildLognormal(params: Params, field: string): Sampler {
  const form = checkKeys(params, field);
  const { mu, sigma, spec, text, spreadKey } =
    form === 0 ? readMedianP99(params, field) : readMuSigma(params, field);

  const mean = Math.exp(mu + (sigma * sigma) / 2);
  if (!Number.isFinite(mean)) {
    throw fail(`${field}.${spreadKey}`, messages.meanOverflows(params[spreadKey]));
  }

  return sampler(spec, mean, text, (rng) => {
    const u = rng();
    return Math.exp(mu + sigma * inverseNormalCdf(u > 0 ? u : SMALLEST_P));
  });
}

function readMedianP99(params: Params, field: string): LognormalForm {
  const median = readDuration(params.median, `${field}.median`);
  requireAbove(median, 0, "a duration > 0", params.median, `${field}.median`);
  const p99 = readDuration(params.p99, `${field}.p99`);
  const what = `a duration > median (${formatSeconds(median)})`;
  requireAbove(p99, median, what, params.p99, `${field}.p99`);

  const text = `lognormal(median ${formatSeconds(median)}, p99 ${formatSeconds(p99)})`;
  const spec = { dist: "lognormal", median, p99 };
  return { ...lognormalFromMedianP99(median, p99), spec, text, spreadKey: "p99" };
}

function readMuSigma(params: Params, field: string): LognormalForm {
  const mu = readNumber(params.mu, `${field}.mu`);
  if (mu > LARGEST_MU) throw fail(`${field}.mu`, messages.muTooLarge(LARGEST_MU, params.mu));
  const sigma = readNumber(params.sigma, `${field}.sigma`);
  requireAbove(sigma, 0, "a number > 0", params.sigma, `${field}.sigma`);

  const text = `lognormal(mu ${mu}, sigma ${sigma})`;
  return { mu, sigma, spec: { dist: "lognormal", mu, sigma }, text, spreadKey: "sigma" };
}

/** Uniform choice among the samples, duplicates counting as often as they appear. */
function buildEmpirical(params: Params, field: string): Sampler {
  checkKeys(params, field);
  const list = params.samples;
  if (!Array.isArray(list) || list.length === 0) {
    throw fail(`${field}.samples`, messages.emptySamples(list));
  }

  const values = new Float64Array(list.length);
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    values[i] = readDuration(list[i], `${field}.samples[${i}]`);
    total += values[i];
  }

  const count = values.length;
  const last = count - 1;
  const mean = total / count;
  const text = `empirical(${count} samples, mean ${formatSeconds(mean)})`;
  const spec = { dist: "empirical", samples: Array.from(values) };

  // NOTE: u * count rounds up to count only for u within a few ulps of 1; the clamp costs little.
  return sampler(spec, mean, text, (rng) => values[Math.min(last, Math.floor(rng() * count))]);
}

/**
 * Pareto by inversion: x = scale * (1 - u)^(-1/shape). An optional cap clamps the tail: a draw
 * above the cap becomes the cap (no resampling), so P(X = cap) = (scale / cap)^shape and the
 * stream still advances by one per sample. With shape <= 1 the mean is infinite, so a cap is
 * required then.
 *
 * NOTE: exp(exponent * log(1 - u)) is used for the power: in V8 it is about three times faster
 * than Math.pow and differs from it only in the last bits.
 */
function buildPareto(params: Params, field: string): Sampler {
  checkKeys(params, field);
  const scale = readDuration(params.scale, `${field}.scale`);
  requireAbove(scale, 0, "a duration > 0", params.scale, `${field}.scale`);
  const shape = readNumber(params.shape, `${field}.shape`);
  requireAbove(shape, 0, "a number > 0", params.shape, `${field}.shape`);

  const exponent = -1 / shape;
  const shapeText = `scale ${formatSeconds(scale)}, shape ${shape}`;
  if (!Object.hasOwn(params, "cap")) {
    if (shape <= 1) throw fail(`${field}.shape`, messages.infiniteMean(params.shape));
    const mean = (shape * scale) / (shape - 1);
    const spec = { dist: "pareto", scale, shape };
    return sampler(spec, mean, `pareto(${shapeText})`, (rng) => {
      return scale * Math.exp(exponent * Math.log(1 - rng()));
    });
  }

  const cap = readDuration(params.cap, `${field}.cap`);
  const what = `a duration > scale (${formatSeconds(scale)})`;
  requireAbove(cap, scale, what, params.cap, `${field}.cap`);

  const mean = cappedParetoMean(scale, shape, cap);
  const text = `pareto(${shapeText}, cap ${formatSeconds(cap)})`;
  return sampler({ dist: "pareto", scale, shape, cap }, mean, text, (rng) => {
    return Math.min(cap, scale * Math.exp(exponent * Math.log(1 - rng())));
  });
}

/** E[min(X, cap)] = scale + the integral from scale to cap of (scale / x)^shape dx. */
function cappedParetoMean(scale: number, shape: number, cap: number): number {
  if (shape === 1) return scale * (1 + Math.log(cap / scale));
  return scale + (scale * (Math.pow(cap / scale, 1 - shape) - 1)) / (1 - shape);
}

/**
 * A piecewise-linear inverse CDF through the given (percentile, duration) points: a draw u falls
 * between two neighbouring percentiles and is interpolated between their durations.
 */
function buildPercentiles(params: Params, field: string): Sampler {
  checkKeys(params, field);
  const points = readPoints(params.points, `${field}.points`);

  const count = points.length;
  const probabilities = Float64Array.from(points, (point) => point.percent / 100);
  const values = Float64Array.from(points, (point) => point.seconds);
  const slopes = new Float64Array(count);
  let mean = 0;
  for (let i = 0; i + 1 < count; i++) {
    const width = probabilities[i + 1] - probabilities[i];
    slopes[i] = (values[i + 1] - values[i]) / width;
    mean += (width * (values[i] + values[i + 1])) / 2;
  }

  const pairs = points.map((point) => [String(point.percent), point.seconds]);
  const spec = { dist: "percentiles", points: Object.fromEntries(pairs) };
  const labels = points.map((point) => `p${point.percent} ${formatSeconds(point.seconds)}`);
  return sampler(spec, mean, `percentiles(${labels.join(", ")})`, (rng) => {
    const u = rng();

    // Binary search for the last point at or below u; point 0 is at 0, so one always is.
    let low = 0;
    let high = count - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (probabilities[middle] <= u) low = middle;
      else high = middle - 1;
    }

    return values[low] + slopes[low] * (u - probabilities[low]);
  });
}

interface Point {
  key: string;
  percent: number;
  seconds: number;
}

const PERCENTILE_KEY = /^\d+(?:\.\d+)?$/;

/** The points sorted by percentile, checked: keys 0..100 with both ends, durations not falling. */
function readPoints(raw: unknown, field: string): Point[] {
  if (!isPlainObject(raw)) throw fail(field, messages.notAPointMap(raw));

  const points: Point[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const percent = Number(key);
    if (!PERCENTILE_KEY.test(key) || percent > 100) throw fail(field, messages.badPercentile(key));

    const same = points.find((point) => point.percent === percent);
    if (same !== undefined) throw fail(field, messages.samePercentile(same.key, key));

    points.push({ key, percent, seconds: readDuration(value, `${field}[${quote(key)}]`) });
  }

  points.sort((a, b) => a.percent - b.percent);
  const isClosed = points.length >= 2 && points[0].percent === 0 && points.at(-1)?.percent === 100;
  if (!isClosed) throw fail(field, messages.missingEnds(points.map((point) => point.key)));

  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1];
    const point = points[i];
    if (point.seconds < previous.seconds) {
      const message = messages.decreasing(
        { key: previous.key, value: raw[previous.key], seconds: previous.seconds },
        { key: point.key, value: raw[point.key], seconds: point.seconds },
      );
      throw fail(`${field}[${quote(point.key)}]`, message);
    }
  }

  return points;
}

// ---------------------------------------------------------------------------------------------
// The standard normal quantile.

/*
 * Wichura's algorithm AS 241 (PPND16), Applied Statistics 37(3), 1988, pp. 477-484: rational
 * approximations accurate to about 1e-16 relative. Numerators list coefficients from the
 * constant term up; each denominator's constant term is 1.
 */
const CENTRAL_NUMERATOR = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const CENTRAL_DENOMINATOR = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const NEAR_NUMERATOR = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const NEAR_DENOMINATOR = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
];
const FAR_NUMERATOR = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 2.7115555687434876e-5, 2.0103343992922881e-7,
];
const FAR_DENOMINATOR = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  1.8463183175100548e-5, 1.421511758316446e-7, 2.0442631033899397e-15,
];

/** Horner's rule for a polynomial of degree 7, coefficients from the constant term up. */
function polynomial(c: readonly number[], x: number): number {
  return (
    ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0]
  );
}

/**
 * The z with P(Z <= z) = p for a standard normal Z, to about 1e-16 relative (AS 241).
 * Returns -Infinity at 0, Infinity at 1 and NaN outside [0, 1].
 */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;

  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
  }

  // The tails work with r = sqrt(-ln(tail probability)), split at r = 5 (p about 1.4e-11).
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const z =
    r <= 5
      ? polynomial(NEAR_NUMERATOR, r - 1.6) / polynomial(NEAR_DENOMINATOR, r - 1.6)
      : polynomial(FAR_NUMERATOR, r - 5) / polynomial(FAR_DENOMINATOR, r - 5);

  return q < 0 ? -z : z;
}

// ---------------------------------------------------------------------------------------------
// Text for describe().

const WHOLE_UNITS: readonly [string, number][] = [
  ["h", 3600],
  ["m", 60],
  ["s", 1],
];

/** 5400 -> "90m", 90 -> "90s", 12.345 -> "12.3s", 0.05 -> "50ms". */
function formatSeconds(seconds: number): string {
  if (seconds === 0) return "0s";

  for (const [unit, size] of WHOLE_UNITS) {
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${unit}`;
  }

  if (seconds >= 1) return `${threeFigures(seconds)}s`;
  return `${threeFigures(seconds * 1000)}ms`;
}

/** At least three significant figures, and every digit before the point. */
function threeFigures(value: number): string {
  const digitsBeforePoint = Math.max(1, Math.floor(Math.log10(value)) + 1);
  return String(Number(value.toPrecision(Math.max(3, digitsBeforePoint))));
}
