import type { Replica } from "../../../sim/replica.js";
import { type Task, TaskState } from "../../../sim/task.js";
import {
  fail,
  hasStarted,
  isPlaced,
  leftAt,
  type Observed,
  type ReplicaLife,
  seconds,
  slotsOf,
  stateOf,
} from "./observe.js";
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
 * Every task arrives and waits; one that takes a slot is placed on a ready replica of its
 * environment, no earlier than its arrival, and starts after the dispatch overhead (one of the
 * first tasks placed on a replica also pays the first-task overhead; which one, when several are
 * placed at the same instant, is the engine's choice). A task without children that completes
 * runs its work in full; one that fails or is cancelled may leave early, but never before it took
 * its slot or before its code started. (Parents, failures and cancellations: nesting-checks.ts.)
 */
export function checkTasks(spec: CaseSpec, observed: Observed): void {
  const seen = new Set<string>();
  const firstPlacedAt = new Map<Replica, number>();
  const firstPaid = new Map<Replica, number>();
  /** Replicas whose first task failed during its overheads: it may have been the one to pay. */
  const firstUnstarted = new Set<Replica>();
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

    if (!isPlaced(task)) {
      const isLeftWaiting = task.state === TaskState.waiting && task.endAt < 0;
      const isDropped = task.state === TaskState.failed || task.state === TaskState.cancelled;
      if (!isLeftWaiting && !isDropped) fail(`${name} never took a slot, yet is ${stateOf(task)}`);
      if (task.startAt !== -1) fail(`${name} never took a slot, yet started`);
      if (isDropped && task.endAt < task.arrivalAt) fail(`${name} ended before it arrived`);
      continue;
    }
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
    if (!hasStarted(task)) {
      // Placed, then failed or cancelled during its overheads, before its code started.
      const isDropped = task.state === TaskState.failed || task.state === TaskState.cancelled;
      if (!isDropped) fail(`${name} took a slot but never started, yet is ${stateOf(task)}`);
      if (task.endAt < task.placedAt || task.endAt - task.placedAt >= dispatch + first) {
        fail(`${name} left at ${seconds(task.endAt)} s without starting, past its overheads`);
      }
      if (first > 0 && task.placedAt === firstPlacedAt.get(replica)) {
        firstUnstarted.add(replica);
      }
      continue;
    }
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
    if (task.startAt < task.arrivalAt) fail(`${name} started before it arrived`);
    if (task.endAt >= 0 && task.endAt < task.startAt) {
      fail(
        `${name} ended at ${seconds(task.endAt)} s, before it started at ${seconds(task.startAt)} s`,
      );
    }
    const isLeaf = task.fanout === null;
    if (
      isLeaf &&
      task.state === TaskState.completed &&
      task.endAt !== task.startAt + task.workMicros
    ) {
      fail(`${name} ended at ${seconds(task.endAt)} s, not start + work`);
    }
    if (isLeaf && task.endAt >= 0 && task.endAt > task.startAt + task.workMicros) {
      fail(`${name} ended at ${seconds(task.endAt)} s, after start + work`);
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
    const isPaid = paid === 1 || (paid === 0 && firstUnstarted.has(replica));
    if (first > 0 && !isPaid) {
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
    if (
      replica === null ||
      !isPlaced(task) ||
      task.placedAt !== replica.readyAt ||
      task.arrivalAt >= task.placedAt
    ) {
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
    if (!isPlaced(task) || task.replica === null || task.endAt === task.placedAt) continue;
    const list = byReplica.get(task.replica) ?? [];
    list.push(task);
    byReplica.set(task.replica, list);
  }
  for (const [replica, tasks] of byReplica) {
    const slots = slotsOf(spec, replica.env.name);
    const steps = tasks.flatMap((t) => [
      { at: t.placedAt, delta: 1 },
      { at: leftAt(t), delta: -1 },
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
    if (life.removedAt !== null) change(life.removedAt, -concurrency, 0);
  }
  for (const task of observed.tasks) {
    if (task.env.name !== env) continue;
    change(task.arrivalAt, 0, 1);
    if (isPlaced(task)) {
      change(task.placedAt, -1, -1);
      if (task.endAt >= 0) change(task.endAt, 1, 0);
    } else if (task.endAt >= 0) {
      change(task.endAt, 0, -1); // it left the queue: failed or cancelled while waiting
    }
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
    if (task.env.name !== env || task.replica === null || !isPlaced(task)) continue;
    const list = tasksOn.get(task.replica) ?? [];
    list.push(task);
    tasksOn.set(task.replica, list);
  }
  const replicas = [...lives.values()].filter((l) => l.env === env && l.readyAt !== null);

  for (const task of observed.tasks) {
    if (task.env.name !== env || task.replica === null || !isPlaced(task)) continue;
    const at = task.placedAt;
    for (const other of replicas) {
      const isEarlierChoice =
        other.replica.id < task.replica.id &&
        (other.readyAt as number) < at &&
        (other.removedAt ?? Infinity) >= at;
      if (!isEarlierChoice) continue;
      const holding = (tasksOn.get(other.replica) ?? []).filter(
        (t) => t.placedAt <= at && leftAt(t) >= at,
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

/**
 * MODEL.md §2.4: within an environment, a task that arrived earlier is never overtaken: by the
 * time a task is placed, every task that arrived before it has been placed or has left the queue
 * (failed or cancelled while waiting).
 */
export function checkFifo(env: string, observed: Observed): void {
  const tasks = observed.tasks.filter((t) => t.env.name === env);
  tasks.sort((a, b) => a.arrivalAt - b.arrivalAt);
  const leftQueueAt = (t: Task): number => (isPlaced(t) ? t.placedAt : leftAt(t));

  // The latest queue departure among the tasks that arrived strictly before the current one.
  let latest = -Infinity;
  let latestId = "";
  let pending = { latest: -Infinity, latestId: "" };
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i];
    if (i > 0 && tasks[i - 1].arrivalAt < task.arrivalAt) ({ latest, latestId } = pending);
    if (isPlaced(task) && task.placedAt < latest) {
      fail(`${env}: task ${task.id} overtook task ${latestId}, which arrived before it`);
    }
    if (leftQueueAt(task) > pending.latest)
      pending = { latest: leftQueueAt(task), latestId: task.id };
  }
}
