import { parseDuration } from "./duration.js";
import { quote, UserError } from "./errors.js";
import type { Rng } from "./random.js";

/*
 * STAND-IN: a minimal makeSampler so the scenario loader compiles. The real module is written on
 * another branch and replaces this file on merge.
 */

export interface Sampler {
  sample(rng: Rng): number;
  readonly mean: number;
  readonly spec: object;
  describe(): string;
}

export function makeSampler(spec: unknown, field: string): Sampler {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new UserError(
      "BAD_DISTRIBUTION",
      `${field}: expected a distribution, got ${quote(spec)}`,
    );
  }
  const params = spec as Record<string, unknown>;
  switch (params.dist) {
    case "constant":
      return constant(parseDuration(params.value, `${field}.value`));
    case "exponential":
      return exponential(positive(params.mean, `${field}.mean`));
    case "lognormal":
      return constant(parseDuration(params.median, `${field}.median`));
    default:
      throw new UserError(
        "BAD_DISTRIBUTION",
        `${field}.dist: unknown distribution ${quote(params.dist)}`,
      );
  }
}

function positive(value: unknown, field: string): number {
  const seconds = parseDuration(value, field);
  if (seconds <= 0) {
    throw new UserError("BAD_DISTRIBUTION", `${field}: must be > 0, got ${quote(value)}`);
  }
  return seconds;
}

function constant(value: number): Sampler {
  return {
    sample: () => value,
    mean: value,
    spec: { dist: "constant", value },
    describe: () => `constant(${value}s)`,
  };
}

function exponential(mean: number): Sampler {
  return {
    sample: (rng) => -mean * Math.log(1 - rng()),
    mean,
    spec: { dist: "exponential", mean },
    describe: () => `exponential(mean ${mean}s)`,
  };
}
