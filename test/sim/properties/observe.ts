import { simulate } from "../../../sim/simulation.js";
import type { EnvironmentEvent, ReplicaEvent } from "../../../sim/lifecycle.js";
import type { Replica } from "../../../sim/replica.js";
import type { Summary } from "../../../sim/summary.js";
import type { Task } from "../../../sim/task.js";
import type { TimelineRow } from "../../../sim/timeline.js";
import {
  buildScenario,
  type CaseSpec,
  type ColdStartDraws,
  type PolicyCase,
} from "./scenario-arbitrary.js";

/** Everything a run lets an observer see. Times are integer microseconds, as in the engine. */
export interface Observed {
  summary: Summary;
  /** In the order the engine reported them. */
  tasks: Task[];
  timeline: TimelineRow[];
  replicaEvents: ReplicaEvent[];
  environmentEvents: EnvironmentEvent[];
  draws: ColdStartDraws;
}

/**
 * Every generated case ends long before this (arrivals stop by 600 s, tasks last at most minutes):
 * a run still going here never ends, and the check fails instead of hanging.
 */
const NEVER_ENDS_SECONDS = 1e6;

export async function observe(spec: CaseSpec): Promise<Observed> {
  const draws: ColdStartDraws = new Map();
  const tasks: Task[] = [];
  const timeline: TimelineRow[] = [];
  const replicaEvents: ReplicaEvent[] = [];
  const environmentEvents: EnvironmentEvent[] = [];
  const summary = await simulate(buildScenario(spec, draws), {
    onTaskEnd: (task) => tasks.push(task),
    onTimelineRow: (row) => {
      if (row.time > NEVER_ENDS_SECONDS) fail(`the run is still going at ${row.time} s`);
      timeline.push(row);
    },
    onReplicaEvent: (event) => replicaEvents.push(event),
    onEnvironmentEvent: (event) => environmentEvents.push(event),
  });
  return { summary, tasks, timeline, replicaEvents, environmentEvents, draws };
}

export function fail(message: string): never {
  throw new Error(message);
}

export const seconds = (micros: number): number => micros / 1e6;

export interface ReplicaLife {
  env: string;
  replica: Replica;
  requestedAt: number;
  readyAt: number | null;
  removedAt: number | null;
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
