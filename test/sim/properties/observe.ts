import { simulate } from "../../../sim/simulation.js";
import type { EnvironmentEvent, ReplicaEvent } from "../../../sim/lifecycle.js";
import type { Replica } from "../../../sim/replica.js";
import type { Summary } from "../../../sim/summary.js";
import type { TimelineRow } from "../../../sim/timeline.js";
import { type Task, TaskState } from "../../../sim/task.js";
import { writeTrace } from "../../workloads/trace-helpers.js";
import {
  buildScenario,
  type CaseSpec,
  type ColdStartDraws,
  type PolicyCase,
  traceCsv,
} from "./scenario-arbitrary.js";

/** Everything a run lets an observer see. Times are integer microseconds, as in the engine. */
export interface Observed {
  summary: Summary;
  /** In the order the engine reported them. */
  tasks: Task[];
  timeline: TimelineRow[];
  replicaEvents: ReplicaEvent[];
  environmentEvents: EnvironmentEvent[];
  /** Replica and environment events together, in the order the engine reported them. */
  lifecycle: (ReplicaEvent | EnvironmentEvent)[];
  draws: ColdStartDraws;
  /** When the run ended (summary.endSeconds), in microseconds. */
  endAt: number;
}

/**
 * Every generated case ends long before this (arrivals stop by 600 s, tasks last at most minutes):
 * a run still going here never ends, and the check fails instead of hanging.
 */
const NEVER_ENDS_SECONDS = 1e6;

/** Where a case's trace rows are written; one case runs at a time, so one file serves all. */
export function writeCaseTrace(spec: CaseSpec): string | undefined {
  return spec.trace.length === 0
    ? undefined
    : writeTrace("properties/case.csv", traceCsv(spec.trace));
}

export async function observe(spec: CaseSpec, tracePath?: string): Promise<Observed> {
  const draws: ColdStartDraws = new Map();
  const tasks: Task[] = [];
  const timeline: TimelineRow[] = [];
  const replicaEvents: ReplicaEvent[] = [];
  const environmentEvents: EnvironmentEvent[] = [];
  const lifecycle: (ReplicaEvent | EnvironmentEvent)[] = [];
  const summary = await simulate(buildScenario(spec, draws, tracePath), {
    onTaskEnd: (task) => {
      // Tasks are reported as they end; the unfinished ones after all of them, at the end.
      const last = tasks[tasks.length - 1];
      if (last !== undefined && !last.hasEnded && task.hasEnded) {
        fail(`task ${task.id} was reported ended after unfinished task ${last.id}`);
      }
      tasks.push(task);
    },
    onTimelineRow: (row) => {
      if (row.time > NEVER_ENDS_SECONDS) fail(`the run is still going at ${row.time} s`);
      timeline.push(row);
    },
    onReplicaEvent: (event) => {
      replicaEvents.push(event);
      lifecycle.push(event);
    },
    onEnvironmentEvent: (event) => {
      environmentEvents.push(event);
      lifecycle.push(event);
    },
  });
  const endAt = Math.round(summary.endSeconds * 1e6);
  return { summary, tasks, timeline, replicaEvents, environmentEvents, lifecycle, draws, endAt };
}

export function fail(message: string): never {
  throw new Error(message);
}

export const seconds = (micros: number): number => micros / 1e6;

/** Whether the task took a slot (a task that failed or was cancelled while waiting never did). */
export const isPlaced = (task: Task): boolean => task.placedAt >= 0;

/** Whether the task's code started (placed, and not failed during its overheads). */
export const hasStarted = (task: Task): boolean => task.startAt >= 0;

/** The name of a task's state, for messages. */
export const stateOf = (task: Task): string =>
  Object.keys(TaskState).find((key) => TaskState[key as keyof typeof TaskState] === task.state) ??
  String(task.state);

/** Whether the task was still waiting or running when the run ended. */
export const isUnfinished = (task: Task): boolean => task.state < TaskState.completed;

/** When the task left (its slot or the queue): its end, or never for an unfinished one. */
export const leftAt = (task: Task): number => (task.endAt >= 0 ? task.endAt : Infinity);

export interface ReplicaLife {
  env: string;
  replica: Replica;
  requestedAt: number;
  readyAt: number | null;
  /** Null for a replica still there when a stalled run ended. */
  removedAt: number | null;
  /** Its removal, or the run's end for a replica still there then. */
  until: number;
  reason: string | null;
}

/** Each replica's life from its events, checked for order: requested, ready at most once, removed. */
export function replicaLives(observed: Observed): Map<Replica, ReplicaLife> {
  const lives = new Map<Replica, ReplicaLife>();
  for (const event of observed.replicaEvents) {
    const name = `replica ${event.replica.id} of ${event.env} at ${seconds(event.at)} s`;
    const life = lives.get(event.replica);
    if (event.kind === "requested") {
      if (life !== undefined) fail(`${name} was requested twice`);
      lives.set(event.replica, {
        env: event.env,
        replica: event.replica,
        requestedAt: event.at,
        readyAt: null,
        removedAt: null,
        until: observed.endAt,
        reason: null,
      });
      continue;
    }
    if (life === undefined) fail(`${name}: ${event.kind} before it was requested`);
    if (life.removedAt !== null) fail(`${name}: ${event.kind} after it was removed`);
    if (event.kind === "ready") {
      if (life.readyAt !== null) fail(`${name} became ready twice`);
      life.readyAt = event.at;
    } else {
      life.removedAt = event.at;
      life.until = event.at;
      life.reason = event.reason ?? "";
    }
  }
  return lives;
}

/** Replica events of one environment, grouped by instant (the engine reports them in time order). */
export function instantsOf(
  env: string,
  observed: Observed,
): { at: number; events: ReplicaEvent[] }[] {
  const instants: { at: number; events: ReplicaEvent[] }[] = [];
  for (const event of observed.replicaEvents) {
    if (event.env !== env) continue;
    const last = instants[instants.length - 1];
    if (last !== undefined && last.at === event.at) last.events.push(event);
    else if (last !== undefined && event.at < last.at)
      fail(`replica events of ${env} go back in time`);
    else instants.push({ at: event.at, events: [event] });
  }
  return instants;
}

/** Slots per replica of an environment (a no-reuse replica runs its one task). */
export function slotsOf(spec: CaseSpec, env: string): number {
  const e = spec.environments.find((x) => x.name === env);
  return e === undefined || e.policy === "none" ? 1 : e.policy.concurrency;
}

/** [min, max] of a policy. */
export function boundsOf(policy: PolicyCase): [number, number] {
  return Array.isArray(policy.replicas) ? policy.replicas : [policy.replicas, policy.replicas];
}
