import type { ReusePolicy } from "../policies/reuse-policy.js";
import type { FanoutSpec } from "../workloads/fanout.js";
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
  readonly cost: { readonly perReplicaHour: number };
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
  /** Seconds after arrival at which the task fails if it has not ended. */
  readonly timeout?: number;
  /** Children launched in one wave after the task's own work (duration). */
  readonly children?: readonly InlineChild[];
  /** The parent's own work after its last child has ended, in seconds. */
  readonly tail?: number;
}

/** A child of an inline task: its environment is the parent's unless given. */
export interface InlineChild {
  readonly duration: number;
  readonly env?: string;
  readonly id?: string;
  readonly children?: readonly InlineChild[];
  readonly tail?: number;
}

export interface SyntheticWorkloadSpec {
  readonly kind: "synthetic";
  readonly env: string;
  readonly arrivals: ArrivalProcessSpec;
  readonly duration: Sampler;
  readonly async: boolean;
  /** A task still waiting or running this long (seconds) after it arrived fails; 0: never. */
  readonly timeoutSeconds?: number;
  /** Each task is a parent that launches children after its own work (its setup). */
  readonly fanout?: FanoutSpec;
  /** Name of the workload's random streams; workloads sharing it draw identical tasks. */
  readonly stream?: string;
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
