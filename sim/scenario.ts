import type { ReusePolicy } from "../policies/reuse-policy.js";
import type { Sampler } from "./distributions.js";

/**
 * A scenario resolved from its file: every duration in seconds, every distribution a sampler,
 * every policy a validated ReusePolicy. `simulate()` takes this; `loadScenario()` makes it.
 */
export interface Scenario {
  readonly name: string;
  readonly seed: number;
  /** Arrivals stop here (seconds); Infinity when a trace alone decides. */
  readonly horizonSeconds: number;
  /** Control tick period in seconds; 0 means exact timers. */
  readonly controlPeriodSeconds: number;
  /** Step of timeline.csv in seconds. */
  readonly timelineStepSeconds: number;
  readonly environments: readonly EnvironmentSpec[];
  /**
   * Settings for environments that a workload names but `environments` does not declare (trace
   * replay creates one per function or app). The first pattern whose glob matches the name wins,
   * then `defaultEnvironment`; with neither, such a name is an error.
   */
  readonly environmentPatterns?: readonly EnvironmentPattern[];
  readonly defaultEnvironment?: EnvironmentTemplate;
  readonly workloads: readonly WorkloadSpec[];
  /** Folder that relative trace paths are read from (the scenario file's folder). */
  readonly baseDir: string;
}

export interface EnvironmentSpec {
  readonly name: string;
  /** A reusable pool, or "none" for the no-reuse baseline. */
  readonly policy: ReusePolicy | "none";
  readonly coldStart: Sampler;
  readonly firstTaskOverheadSeconds: number;
  readonly dispatchOverheadSeconds: number;
  readonly cost: EnvironmentCost;
}

export interface EnvironmentCost {
  readonly perReplicaHour: number;
  /**
   * Price of a GB of replica memory for an hour, added to perReplicaHour for environments whose
   * memory a trace gives (Azure 2019 memory.csv); 0 or absent: memory is not priced.
   */
  readonly perGbHour?: number;
}

/** An environment's settings without its name: what an environment created on first sight gets. */
export type EnvironmentTemplate = Omit<EnvironmentSpec, "name">;

/** A template for the environments whose names match a glob (`*` any run, `?` one character). */
export interface EnvironmentPattern {
  readonly glob: string;
  readonly template: EnvironmentTemplate;
}

export type WorkloadSpec = SyntheticWorkloadSpec | TraceWorkloadSpec | InlineWorkloadSpec;

/** Tasks given as data, for scripted studies and tests: times in seconds, any order. */
export interface InlineWorkloadSpec {
  readonly kind: "inline";
  readonly tasks: readonly InlineTask[];
}

export interface InlineTask {
  readonly arrival: number;
  readonly duration: number;
  readonly env: string;
  readonly id?: string;
}

export interface SyntheticWorkloadSpec {
  readonly kind: "synthetic";
  readonly env: string;
  readonly arrivals: ArrivalProcessSpec;
  readonly duration: Sampler;
  readonly async: boolean;
}

export type ArrivalProcessSpec = { readonly process: "poisson"; readonly rate: number };

export interface TraceWorkloadSpec {
  readonly kind: "trace";
  /** Absolute path of the trace file. */
  readonly path: string;
  readonly format: "tasks";
  /** Environment for rows that have no env column. */
  readonly env?: string;
  readonly async: boolean;
}
