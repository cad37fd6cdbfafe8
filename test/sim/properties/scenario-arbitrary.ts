import fc from "fast-check";
import { type DistributionSpec, makeSampler, type Sampler } from "../../../sim/distributions.js";
import { ReusePolicy } from "../../../policies/reuse-policy.js";
import type { InlineTask, Scenario, WorkloadSpec } from "../../../sim/scenario.js";

/**
 * Random but valid scenarios, kept as plain data so that fast-check can shrink them and print a
 * counterexample a reader can paste into a test. buildScenario() turns one into a Scenario.
 */
export interface CaseSpec {
  seed: number;
  controlPeriodSeconds: number;
  timelineStepSeconds: number;
  /** Infinity unless a Poisson workload needs an end. */
  horizonSeconds: number;
  environments: EnvironmentCase[];
  tasks: InlineTask[];
  poisson: PoissonCase[];
}

export interface EnvironmentCase {
  name: string;
  policy: PolicyCase | "none";
  coldStart: DistributionSpec;
  firstTaskOverheadSeconds: number;
  dispatchOverheadSeconds: number;
  perReplicaHour: number;
}

export interface PolicyCase {
  replicas: number | [number, number];
  concurrency: number;
  idle_ttl: number;
  scaledown_ttl: number;
}

export interface PoissonCase {
  env: string;
  rate: number;
  duration: DistributionSpec;
}

const ENV_NAMES = ["a", "b", "c"];

const replicasArb: fc.Arbitrary<PolicyCase["replicas"]> = fc.oneof(
  fc.integer({ min: 1, max: 6 }),
  fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
    .map(([x, y]): [number, number] => [Math.min(x, y), Math.max(1, x, y)]),
);

/** The SDK's floor of 30 s often, so that TTLs end inside short cases and near cold starts. */
const ttlArb = fc.oneof(fc.constantFrom(30, 31, 45), fc.integer({ min: 30, max: 300 }));

const policyArb: fc.Arbitrary<PolicyCase> = fc.record({
  replicas: replicasArb,
  concurrency: fc.integer({ min: 1, max: 4 }),
  idle_ttl: ttlArb,
  scaledown_ttl: ttlArb,
});

/** Small cold starts, a zero one often, and some longer than the shortest TTL. */
const coldStartArb: fc.Arbitrary<DistributionSpec> = fc.oneof(
  fc.constantFrom(0, 0.5, 1, 3, 10, 45).map((value) => ({ dist: "constant" as const, value })),
  fc
    .tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(0, 1, 5, 40))
    .map(([min, extra]) => ({ dist: "uniform" as const, min, max: min + extra })),
  fc.constantFrom(0.5, 2, 10, 20).map((mean) => ({ dist: "exponential" as const, mean })),
);

const overheadArb = fc.constantFrom(0, 0, 0.1, 0.5, 2);

/** Whole seconds often (so that arrivals coincide), tenths otherwise. */
const instantArb = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 6000 }).map((tenths) => tenths / 10),
);

const durationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 15 }),
  fc.integer({ min: 1, max: 4000 }).map((tenths) => tenths / 10),
);

const taskDurationSpecArb: fc.Arbitrary<DistributionSpec> = fc.oneof(
  fc.constantFrom(0, 1, 5).map((value) => ({ dist: "constant" as const, value })),
  fc.constantFrom(0.5, 2, 10, 60).map((mean) => ({ dist: "exponential" as const, mean })),
  fc.constantFrom(5, 30).map((max) => ({ dist: "uniform" as const, min: 0, max })),
);

function environmentArb(name: string): fc.Arbitrary<EnvironmentCase> {
  return fc.record({
    name: fc.constant(name),
    policy: fc.oneof(
      { weight: 5, arbitrary: policyArb },
      { weight: 1, arbitrary: fc.constant("none" as const) },
    ),
    coldStart: coldStartArb,
    firstTaskOverheadSeconds: overheadArb,
    dispatchOverheadSeconds: overheadArb,
    perReplicaHour: fc.constantFrom(1, 0.25, 3.6),
  });
}

/** One to three environments, inline tasks on them, and sometimes small Poisson workloads. */
export const caseArb: fc.Arbitrary<CaseSpec> = fc
  .integer({ min: 1, max: 3 })
  .chain((count) => {
    const names = ENV_NAMES.slice(0, count);
    const envName = fc.constantFrom(...names);
    const task = fc.record({ arrival: instantArb, duration: durationArb, env: envName });
    const poisson = fc.record({
      env: envName,
      rate: fc.constantFrom(0.05, 0.2, 0.5, 1),
      duration: taskDurationSpecArb,
    });
    return fc.record({
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      controlPeriodSeconds: fc.constantFrom(0, 1, 5),
      timelineStepSeconds: fc.constantFrom(7, 60),
      horizon: fc.integer({ min: 30, max: 300 }),
      environments: fc.tuple(...names.map(environmentArb)),
      tasks: fc.array(task, { maxLength: 40 }),
      poisson: fc.array(poisson, { maxLength: 2 }),
    });
  })
  .map(({ horizon, ...rest }) => ({
    ...rest,
    horizonSeconds: rest.poisson.length > 0 ? horizon : Number.POSITIVE_INFINITY,
  }));

/** Cold-start draws of each environment, in the order the engine asked for them. */
export type ColdStartDraws = Map<string, number[]>;

/** The Scenario of a case; every cold-start draw is recorded into `draws`. */
export function buildScenario(spec: CaseSpec, draws: ColdStartDraws = new Map()): Scenario {
  const environments = spec.environments.map((e) => {
    const recorded: number[] = [];
    draws.set(e.name, recorded);
    return {
      name: e.name,
      policy: e.policy === "none" ? ("none" as const) : new ReusePolicy(e.policy),
      coldStart: recording(makeSampler(e.coldStart, `${e.name}.coldStart`), recorded),
      firstTaskOverheadSeconds: e.firstTaskOverheadSeconds,
      dispatchOverheadSeconds: e.dispatchOverheadSeconds,
      cost: { perReplicaHour: e.perReplicaHour },
    };
  });

  const workloads: WorkloadSpec[] = [{ kind: "inline", tasks: spec.tasks }];
  for (const p of spec.poisson) {
    workloads.push({
      kind: "synthetic",
      env: p.env,
      arrivals: { process: "poisson", rate: p.rate },
      duration: makeSampler(p.duration, "duration"),
      async: false,
    });
  }

  return {
    name: "property",
    seed: spec.seed,
    horizonSeconds: spec.horizonSeconds,
    controlPeriodSeconds: spec.controlPeriodSeconds,
    timelineStepSeconds: spec.timelineStepSeconds,
    environments,
    workloads,
    baseDir: ".",
  };
}

function recording(sampler: Sampler, into: number[]): Sampler {
  return {
    ...sampler,
    sample: (rng) => {
      const value = sampler.sample(rng);
      into.push(value);
      return value;
    },
  };
}
