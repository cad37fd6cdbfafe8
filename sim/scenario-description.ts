import type { Sampler } from "./distributions.js";
import type { EnvironmentSpec, Scenario, WorkloadSpec } from "./scenario.js";

/**
 * A scenario as plain data: the shape of scenario.json. It records what a report needs to
 * explain a run (every policy, cold-start distribution, overhead and price) without the
 * scenario file, which may have changed since. Times in seconds.
 */
export interface ScenarioDescription {
  name: string;
  seed: number;
  /** Arrivals stop here; null when a trace alone decides. */
  horizonSeconds: number | null;
  /** 0 means exact timers. */
  controlPeriodSeconds: number;
  timelineStepSeconds: number;
  environments: EnvironmentDescription[];
  workloads: WorkloadDescription[];
}

export interface EnvironmentDescription {
  name: string;
  /** ReusePolicy.toJSON(), or "none" for the no-reuse baseline. */
  policy: PolicyDescription | "none";
  coldStart: DistributionDescription;
  firstTaskOverheadSeconds: number;
  dispatchOverheadSeconds: number;
  cost: { perReplicaHour: number };
}

export interface PolicyDescription {
  replicas: [number, number];
  idle_ttl: number;
  concurrency: number;
  scaledown_ttl: number;
}

export interface DistributionDescription {
  /** The sampler's own spec: makeSampler(spec) draws the same sequence. */
  spec: object;
  /** Short text such as "lognormal(median 20s, p99 90s)". */
  text: string;
}

export type WorkloadDescription =
  | {
      kind: "synthetic";
      env: string;
      arrivals: { process: "poisson"; rate: number };
      duration: DistributionDescription;
      async: boolean;
    }
  | { kind: "trace"; path: string; format: "tasks"; env: string | null; async: boolean }
  | { kind: "inline"; tasks: number; envs: string[] };

export function describeScenario(scenario: Scenario): ScenarioDescription {
  return {
    name: scenario.name,
    seed: scenario.seed,
    horizonSeconds: Number.isFinite(scenario.horizonSeconds) ? scenario.horizonSeconds : null,
    controlPeriodSeconds: scenario.controlPeriodSeconds,
    timelineStepSeconds: scenario.timelineStepSeconds,
    environments: scenario.environments.map(describeEnvironment),
    workloads: scenario.workloads.map(describeWorkload),
  };
}

function describeEnvironment(spec: EnvironmentSpec): EnvironmentDescription {
  return {
    name: spec.name,
    policy: spec.policy === "none" ? "none" : spec.policy.toJSON(),
    coldStart: describeDistribution(spec.coldStart),
    firstTaskOverheadSeconds: spec.firstTaskOverheadSeconds,
    dispatchOverheadSeconds: spec.dispatchOverheadSeconds,
    cost: { perReplicaHour: spec.cost.perReplicaHour },
  };
}

function describeWorkload(spec: WorkloadSpec): WorkloadDescription {
  switch (spec.kind) {
    case "synthetic":
      return {
        kind: "synthetic",
        env: spec.env,
        arrivals: { process: spec.arrivals.process, rate: spec.arrivals.rate },
        duration: describeDistribution(spec.duration),
        async: spec.async,
      };
    case "trace":
      return {
        kind: "trace",
        path: spec.path,
        format: spec.format,
        env: spec.env ?? null,
        async: spec.async,
      };
    case "inline":
      return {
        kind: "inline",
        tasks: spec.tasks.length,
        envs: [...new Set(spec.tasks.map((task) => task.env))],
      };
  }
}

function describeDistribution(sampler: Sampler): DistributionDescription {
  return { spec: sampler.spec, text: sampler.describe() };
}
