import type { Replica } from "../../../sim/replica.js";
import type { Task } from "../../../sim/task.js";
import { fail, type Observed, type ReplicaLife, seconds, slotsOf } from "./observe.js";
import type { CaseSpec } from "./scenario-arbitrary.js";

// What every task's life must look like (MODEL.md §2.2-2.4): placement, overheads, slots,
// dispatch order.

/** Dispatch and first-task overheads of an environment, in microseconds. */
function overheadsOf(spec: CaseSpec, env: string): { dispatch: number; first: number } {
  const e = spec.environments.find((x) => x.name === env);
  if (e === undefined) fail(`a task ran in unknown environment ${env}`);
  return {
    dispatch: Math.round(e.dispatchOverheadSeconds * 1e6),
    first: Math.round(e.firstTaskOverheadSeconds * 1e6),
  };
}

/**
 * Every task arrives, waits, is placed on a ready replica and runs its work in full; each pays
 * the dispatch overhead, and one of the first tasks placed on a replica also pays the first-task
 * overhead (which one, when several are placed at the same instant, is the engine's choice).
 */
export function checkTasks(spec: CaseSpec, observed: Observed): void {
  const seen = new Set<string>();
  const firstPlacedAt = new Map<Replica, number>();
  const firstPaid = new Map<Replica, number>();
  for (const task of observed.tasks) {
    if (task.replica === null) continue;
    const earliest = firstPlacedAt.get(task.replica);
    if (earliest === undefined || task.placedAt < earliest) {
      firstPlacedAt.set(task.replica, task.placedAt);
    }
  }

  for (const task of observed.tasks) {
    const name = `task ${task.id} (${task.env.name}, arrived ${seconds(task.arrivalAt)} s)`;
    if (seen.has(task.id)) fail(`${name} was reported twice`);
    seen.add(task.id);

    if (task.placedAt < 0 || task.endAt < 0) fail(`${name} never finished; nothing can stop it`);
    if (task.placedAt < task.arrivalAt) {
      fail(`${name} was placed at ${seconds(task.placedAt)} s, before it arrived`);
    }
    const replica = task.replica;
    if (replica === null) fail(`${name} finished without a replica`);
    if (replica.env !== task.env) fail(`${name} ran on a replica of ${replica.env.name}`);
    if (replica.readyAt < 0 || task.placedAt < replica.readyAt) {
      fail(
        `${name} was placed at ${seconds(task.placedAt)} s on replica ${replica.id}, ` +
          `which was ready at ${seconds(replica.readyAt)} s`,
      );
    }

    const { dispatch, first } = overheadsOf(spec, task.env.name);
    const overhead = task.startAt - task.placedAt;
    const paysFirst = first > 0 && overhead === dispatch + first;
    if (overhead !== dispatch && !paysFirst) {
      fail(
        `${name} started ${seconds(overhead)} s after placement; overheads are ${seconds(dispatch)} s and ${seconds(first)} s`,
      );
    }
    if (paysFirst) {
      firstPaid.set(replica, (firstPaid.get(replica) ?? 0) + 1);
      if (task.placedAt !== firstPlacedAt.get(replica)) {
        fail(
          `${name} paid the first-task overhead on replica ${replica.id}, but was not among its first`,
        );
      }
    }
    if (task.endAt !== task.startAt + task.workMicros) {
      fail(`${name} ended at ${seconds(task.endAt)} s, not start + work`);
    }

    if (task.kind === "warm" && task.placedAt !== task.arrivalAt) {
      fail(`${name} is counted warm but waited ${seconds(task.placedAt - task.arrivalAt)} s`);
    }
    if (task.kind === "cold" && task.placedAt !== replica.readyAt) {
      fail(`${name} is counted cold but was placed after replica ${replica.id} became ready`);
    }
  }

  for (const replica of firstPlacedAt.keys()) {
    const { first } = overheadsOf(spec, replica.env.name);
    const paid = firstPaid.get(replica) ?? 0;
    if (first > 0 && paid !== 1) {
      fail(
        `replica ${replica.id} of ${replica.env.name}: ${paid} tasks paid the first-task overhead`,
      );
    }
  }
  checkColdKinds(spec, observed);
}

/**
 * A replica that becomes ready takes up to `concurrency` waiting tasks, and those count as cold
 * starts: of the tasks that had waited and were placed on it the instant it became ready, exactly
 * min(concurrency, their number) are cold (more can follow in that instant after zero-length
 * tasks end, and those are queued).
 */
function checkColdKinds(spec: CaseSpec, observed: Observed): void {
  const waitedForReady = new Map<Replica, Task[]>();
  for (const task of observed.tasks) {
    const replica = task.replica;
    if (replica === null || task.placedAt !== replica.readyAt || task.arrivalAt >= task.placedAt) {
      continue;
    }
    waitedForReady.set(replica, [...(waitedForReady.get(replica) ?? []), task]);
  }
  for (const [replica, tasks] of waitedForReady) {
    const slots = slotsOf(spec, replica.env.name);
    const cold = tasks.filter((t) => t.kind === "cold").length;
    if (cold !== Math.min(slots, tasks.length)) {
      fail(
        `replica ${replica.id} of ${replica.env.name}: ${tasks.length} waiting tasks took it ` +
          `when it became ready, ${cold} counted cold`,
      );
    }
  }
}

/** Per replica, the tasks holding a slot ([placed, end)) never outnumber its slots. */
export function checkSlots(spec: CaseSpec, observed: Observed): void {
  const byReplica = new Map<Replica, Task[]>();
  for (const task of observed.tasks) {
    if (task.replica === null || task.endAt === task.placedAt) continue;
    const list = byReplica.get(task.replica) ?? [];
    list.push(task);
    byReplica.set(task.replica, list);
  }
  for (const [replica, tasks] of byReplica) {
    const slots = slotsOf(spec, replica.env.name);
    const steps = tasks.flatMap((t) => [
      { at: t.placedAt, delta: 1 },
      { at: t.endAt, delta: -1 },
    ]);
    steps.sort((x, y) => x.at - y.at || x.delta - y.delta);
    let running = 0;
    for (const step of steps) {
      running += step.delta;
      if (running > slots) {
        fail(
          `replica ${replica.id} of ${replica.env.name} ran ${running} tasks at ${seconds(step.at)} s; it has ${slots} slots`,
        );
      }
    }
  }
}

/**
 * MODEL.md §2.3-2.4: no task waits through a stretch of time in which a ready replica of its
 * environment has a free slot. Checked on the open stretches between the instants where anything
 * changes, so the order of events inside one instant does not matter.
 */
export function checkWorkConservation(
  env: string,
  concurrency: number,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const changes = new Map<number, { freeSlots: number; waiting: number }>();
  const change = (at: number, freeSlots: number, waiting: number): void => {
    const entry = changes.get(at) ?? { freeSlots: 0, waiting: 0 };
    entry.freeSlots += freeSlots;
    entry.waiting += waiting;
    changes.set(at, entry);
  };
  for (const life of lives.values()) {
    if (life.env !== env || life.readyAt === null) continue;
    change(life.readyAt, concurrency, 0);
    change(life.removedAt as number, -concurrency, 0);
  }
  for (const task of observed.tasks) {
    if (task.env.name !== env) continue;
    change(task.arrivalAt, 0, 1);
    change(task.placedAt, -1, -1);
    change(task.endAt, 1, 0);
  }

  let freeSlots = 0;
  let waiting = 0;
  for (const at of [...changes.keys()].sort((a, b) => a - b)) {
    const entry = changes.get(at) as { freeSlots: number; waiting: number };
    freeSlots += entry.freeSlots;
    waiting += entry.waiting;
    if (freeSlots > 0 && waiting > 0) {
      fail(
        `${env} after ${seconds(at)} s: ${waiting} tasks wait while ${freeSlots} ready slots are free`,
      );
    }
  }
}

/**
 * MODEL.md §2.3: a task goes to the lowest-id ready replica with a free slot. Checked against
 * replicas ready before the placement's instant; a slot that frees at that same instant counts
 * as busy, because the engine ends simultaneous tasks one at a time and dispatches after each
 * (so a waiting task can take a higher-id slot that freed first, in the order the ends were
 * scheduled; MODEL.md does not say which).
 */
export function checkLowestIdFirst(
  env: string,
  concurrency: number,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const tasksOn = new Map<Replica, Task[]>();
  for (const task of observed.tasks) {
    if (task.env.name !== env || task.replica === null) continue;
    const list = tasksOn.get(task.replica) ?? [];
    list.push(task);
    tasksOn.set(task.replica, list);
  }
  const replicas = [...lives.values()].filter((l) => l.env === env && l.readyAt !== null);

  for (const task of observed.tasks) {
    if (task.env.name !== env || task.replica === null) continue;
    const at = task.placedAt;
    for (const other of replicas) {
      const isEarlierChoice =
        other.replica.id < task.replica.id &&
        (other.readyAt as number) < at &&
        (other.removedAt as number) >= at;
      if (!isEarlierChoice) continue;
      const holding = (tasksOn.get(other.replica) ?? []).filter(
        (t) => t.placedAt <= at && t.endAt >= at,
      ).length;
      if (holding < concurrency) {
        fail(
          `${env}: task ${task.id} was placed on replica ${task.replica.id} at ${seconds(at)} s ` +
            `while replica ${other.replica.id} had a free slot`,
        );
      }
    }
  }
}

/** MODEL.md §2.4: within an environment, a task that arrived earlier is never placed later. */
export function checkFifo(env: string, observed: Observed): void {
  const tasks = observed.tasks.filter((t) => t.env.name === env);
  tasks.sort((a, b) => a.arrivalAt - b.arrivalAt || a.placedAt - b.placedAt);
  for (let i = 1; i < tasks.length; i++) {
    const [earlier, later] = [tasks[i - 1], tasks[i]];
    if (earlier.arrivalAt < later.arrivalAt && earlier.placedAt > later.placedAt) {
      fail(`${env}: task ${later.id} overtook task ${earlier.id}, which arrived before it`);
    }
  }
}
