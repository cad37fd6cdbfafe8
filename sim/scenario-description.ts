import type { Sampler } from "./distributions.js";
import { EnvironmentTemplates } from "./environment-templates.js";
import type {
  ArrivalProcessSpec,
  EnvironmentSpec,
  EnvironmentTemplate,
  Scenario,
  TraceWorkloadSpec,
  WorkloadSpec,
} from "./scenario.js";

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
  /**
   * The templates of environments created on first sight (a trace's functions), patterns in
   * order and then the default; absent when the scenario has none.
   */
  environmentTemplates?: EnvironmentTemplateDescription[];
  workloads: WorkloadDescription[];
}

export type EnvironmentTemplateDescription = Omit<EnvironmentDescription, "name"> & {
  /** A glob, or "default". */
  match: string;
};

export interface EnvironmentDescription {
  name: string;
  /** ReusePolicy.toJSON(), or "none" for the no-reuse baseline. */
  policy: PolicyDescription | "none";
  coldStart: DistributionDescription;
  firstTaskOverheadSeconds: number;
  dispatchOverheadSeconds: number;
  cost: { perReplicaHour: number; perGbHour?: number };
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
      arrivals: ArrivalProcessSpec;
      duration: DistributionDescription;
      async: boolean;
    }
  | ({ kind: "trace"; path: string; env: string | null; async: boolean } & Omit<
      TraceWorkloadSpec,
      "kind" | "path" | "env" | "async"
    >)
  | { kind: "inline"; tasks: number; envs: string[] };

/**
 * `environmentNames`: the environments a run had, in the summary's order (its keys), when some
 * were created from templates; each is described by its declaration or its template.
 */
export function describeScenario(
  scenario: Scenario,
  environmentNames?: readonly string[],
): ScenarioDescription {
  const templates = new EnvironmentTemplates(scenario);
  const declared = new Map(scenario.environments.map((spec) => [spec.name, spec]));
  const environments =
    environmentNames === undefined
      ? scenario.environments
      : environmentNames.map((name) => {
          const spec = declared.get(name) ?? templates.templateFor(name);
          if (spec === undefined)
            throw new RangeError(`environment ${name} is not in the scenario`);
          return { ...spec, name };
        });
  return {
    name: scenario.name,
    seed: scenario.seed,
    horizonSeconds: Number.isFinite(scenario.horizonSeconds) ? scenario.horizonSeconds : null,
    controlPeriodSeconds: scenario.controlPeriodSeconds,
    timelineStepSeconds: scenario.timelineStepSeconds,
    environments: environments.map(describeEnvironment),
    ...describeTemplates(scenario),
    workloads: scenario.workloads.map(describeWorkload),
  };
}

function describeEnvironment(spec: EnvironmentSpec): EnvironmentDescription {
  return { name: spec.name, ...describeTemplate(spec) };
}

function describeTemplates(scenario: Scenario): {
  environmentTemplates?: EnvironmentTemplateDescription[];
} {
  const templates = [
    ...(scenario.environmentPatterns ?? []).map(({ glob, template }) => ({
      match: glob,
      ...describeTemplate(template),
    })),
    ...(scenario.defaultEnvironment === undefined
      ? []
      : [{ match: "default", ...describeTemplate(scenario.defaultEnvironment) }]),
  ];
  return templates.length === 0 ? {} : { environmentTemplates: templates };
}

function describeTemplate(spec: EnvironmentTemplate): Omit<EnvironmentDescription, "name"> {
  const perGbHour = spec.cost.perGbHour;
  return {
    policy: spec.policy === "none" ? "none" : spec.policy.toJSON(),
    coldStart: describeDistribution(spec.coldStart),
    firstTaskOverheadSeconds: spec.firstTaskOverheadSeconds,
    dispatchOverheadSeconds: spec.dispatchOverheadSeconds,
    cost: {
      perReplicaHour: spec.cost.perReplicaHour,
      ...(perGbHour === undefined ? {} : { perGbHour }),
    },
  };
}

function describeWorkload(spec: WorkloadSpec): WorkloadDescription {
  switch (spec.kind) {
    case "synthetic":
      return {
        kind: "synthetic",
        env: spec.env,
        arrivals: spec.arrivals,
        duration: describeDistribution(spec.duration),
        async: spec.async,
      };
    case "trace": {
      const { kind, path, env, async, ...options } = spec;
      return { kind, path, env: env ?? null, async, ...options };
    }
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
