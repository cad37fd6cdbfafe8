import { relative, sep } from "node:path";
import type { FanoutSpec } from "../workloads/fanout.js";
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
      /** Each task's own work; with a fan-out, the parent's setup before its children. */
      duration: DistributionDescription;
      async: boolean;
      /** A task still waiting or running this long after it arrived fails; absent: never. */
      timeoutSeconds?: number;
      /** Each task is a parent that launches children; absent: tasks have none. */
      fanout?: FanoutDescription;
      /** Workloads with the same stream name draw identical tasks; absent: the workload's own. */
      stream?: string;
    }
  | ({ kind: "trace"; path: string; env: string | null; async: boolean } & Omit<
      TraceWorkloadSpec,
      "kind" | "path" | "env" | "async"
    >)
  | { kind: "inline"; tasks: number; envs: string[] };

/** A synthetic workload's fan-out: what each parent launches, and where. */
export interface FanoutDescription {
  /** The children's environment: the parent's own unless the workload names another. */
  env: string;
  /** Children per wave. */
  count: number;
  /** Waves one after another, each launched when the previous one has ended. */
  waves: number;
  /** 1: children only; 2: each child fans out the same way once more; and so on. */
  depth: number;
  /** Each child's own work. */
  duration: DistributionDescription;
  /** The parent's own work after its last child has ended. */
  tailSeconds: number;
  async: boolean;
}

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
    workloads: scenario.workloads.map((spec) => describeWorkload(spec, scenario.baseDir)),
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

/**
 * A workload as plain data. Trace files are named relative to the scenario's folder, so that
 * scenario.json and the report read the same on every machine that has the same layout.
 */
function describeWorkload(spec: WorkloadSpec, baseDir: string): WorkloadDescription {
  switch (spec.kind) {
    case "synthetic":
      return {
        kind: "synthetic",
        env: spec.env,
        arrivals: spec.arrivals,
        duration: describeDistribution(spec.duration),
        async: spec.async,
        ...(hasTimeout(spec.timeoutSeconds) ? { timeoutSeconds: spec.timeoutSeconds } : {}),
        ...(spec.fanout === undefined ? {} : { fanout: describeFanout(spec.fanout, spec.env) }),
        ...(spec.stream === undefined ? {} : { stream: spec.stream }),
      };
    case "trace": {
      const { kind, path, env, async, ...options } = spec;
      const files = {
        ...(options.durationsPath === undefined
          ? {}
          : { durationsPath: fromScenario(baseDir, options.durationsPath) }),
        ...(options.memoryPath === undefined
          ? {}
          : { memoryPath: fromScenario(baseDir, options.memoryPath) }),
      };
      return {
        kind,
        path: fromScenario(baseDir, path),
        env: env ?? null,
        async,
        ...options,
        ...files,
      };
    }
    case "inline":
      return {
        kind: "inline",
        tasks: spec.tasks.length,
        envs: [...new Set(spec.tasks.map((task) => task.env))],
      };
  }
}

/** 0 or absent: the workload's tasks never time out. */
function hasTimeout(seconds: number | undefined): seconds is number {
  return seconds !== undefined && seconds > 0;
}

function describeFanout(spec: FanoutSpec, parentEnv: string): FanoutDescription {
  return {
    env: spec.env ?? parentEnv,
    count: spec.count,
    waves: spec.waves,
    depth: spec.depth,
    duration: describeDistribution(spec.duration),
    tailSeconds: spec.tailSeconds,
    async: spec.async,
  };
}

function describeDistribution(sampler: Sampler): DistributionDescription {
  return { spec: sampler.spec, text: sampler.describe() };
}

/** `path` relative to the scenario's folder, with forward slashes on every system. */
function fromScenario(baseDir: string, path: string): string {
  return relative(baseDir, path).split(sep).join("/") || ".";
}
