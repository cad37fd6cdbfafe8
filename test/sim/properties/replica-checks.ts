import type { EnvironmentEvent, ReplicaEvent } from "../../../sim/lifecycle.js";
import type { Replica } from "../../../sim/replica.js";
import {
  boundsOf,
  fail,
  instantsOf,
  isPlaced,
  isUnfinished,
  leftAt,
  type Observed,
  type ReplicaLife,
  seconds,
} from "./observe.js";
import type { CaseSpec, PolicyCase } from "./scenario-arbitrary.js";

// What every replica's and environment's life must look like (MODEL.md §2.1-2.2, §2.5-2.9).

/**
 * Cold start = ready - requested, equal to the engine's draw. Every replica is gone at the end,
 * except in a stalled run where its environment still holds unfinished tasks (a no-reuse
 * replica: its own task). A task runs only on a replica of its environment, between the
 * replica's readiness and its removal.
 */
export function checkReplicaLives(
  spec: CaseSpec,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const unfinishedIn = new Set(observed.tasks.filter(isUnfinished).map((t) => t.env.name));
  const nextId = new Map<string, number>();
  for (const life of lives.values()) {
    const name = `replica ${life.replica.id} of ${life.env}`;
    const id = (nextId.get(life.env) ?? 0) + 1;
    nextId.set(life.env, id);
    if (life.replica.id !== id) fail(`${name} should have id ${id}: ids count up from 1`);
    if (life.removedAt === null && !unfinishedIn.has(life.env)) {
      fail(`${name} is still there when the run ends, with no unfinished task in ${life.env}`);
    }
    if (life.replica.requestedAt !== life.requestedAt) fail(`${name}: requestedAt disagrees`);

    const draw = observed.draws.get(life.env)?.[id - 1];
    if (draw === undefined) fail(`${name} has no cold-start draw`);
    const coldStart = Math.round(draw * 1e6);
    const e = spec.environments.find((x) => x.name === life.env);
    if (e?.coldStart.dist === "constant" && draw !== e.coldStart.value) {
      fail(`${name} drew a cold start of ${draw} s from constant(${e.coldStart.value})`);
    }

    if (life.readyAt === null) {
      if (life.replica.readyAt !== -1) fail(`${name} has a readyAt but no ready event`);
      if (life.removedAt === null) fail(`${name} is still starting when the run ends`);
      if (life.removedAt > life.requestedAt + coldStart) {
        fail(`${name} was still starting after its cold start of ${draw} s`);
      }
      continue;
    }
    if (life.replica.readyAt !== life.readyAt) fail(`${name}: readyAt disagrees with its event`);
    if (life.readyAt - life.requestedAt !== coldStart) {
      fail(
        `${name} was ready ${seconds(life.readyAt - life.requestedAt)} s after its request; ` +
          `its cold start was ${draw} s`,
      );
    }
  }

  for (const task of observed.tasks) {
    if (!isPlaced(task)) {
      if (task.replica !== null) fail(`task ${task.id} never took a slot, but has a replica`);
      continue;
    }
    const life = task.replica === null ? undefined : lives.get(task.replica);
    if (life === undefined) fail(`task ${task.id} ran on a replica that was never requested`);
    if ((life.removedAt ?? Infinity) < leftAt(task)) {
      fail(`task ${task.id} still ran on replica ${life.replica.id} after its removal`);
    }
    if (life.reason === "task-ended" && life.removedAt !== task.endAt) {
      fail(`no-reuse replica ${life.replica.id} was not removed when task ${task.id} ended`);
    }
  }
  for (const e of spec.environments) {
    if (e.policy === "none") checkNoReuseReplicas(e.name, observed, lives);
  }
}

/** No reuse: one replica per task, requested when it arrives, removed when it leaves. */
function checkNoReuseReplicas(
  env: string,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const arrivals = observed.tasks
    .filter((t) => t.env.name === env)
    .map((t) => t.arrivalAt)
    .sort((a, b) => a - b);
  const requests = [...lives.values()]
    .filter((l) => l.env === env)
    .map((l) => l.requestedAt)
    .sort((a, b) => a - b);
  if (JSON.stringify(arrivals) !== JSON.stringify(requests)) {
    fail(`${env} (no reuse): ${requests.length} replicas for ${arrivals.length} tasks`);
  }
  const ends = observed.tasks
    .filter((t) => t.env.name === env && t.endAt >= 0)
    .map((t) => t.endAt)
    .sort((a, b) => a - b);
  const removals = [...lives.values()]
    .filter((l) => l.env === env && l.removedAt !== null)
    .map((l) => l.removedAt as number)
    .sort((a, b) => a - b);
  if (JSON.stringify(ends) !== JSON.stringify(removals)) {
    fail(`${env} (no reuse): replicas were not removed as their tasks ended`);
  }
}

/**
 * Replicas (starting and ready) stay within [0, max] after every event. An environment is up
 * from its creation to its teardown: at the end of every instant it has at least min replicas
 * while up (MODEL.md §2.5, §2.7: creation starts max(1, min), scale-down never goes below min)
 * and none while down (teardown removes them all, regardless of min, §2.8). Replicas are
 * requested only while it is up.
 */
export function checkReplicaCounts(env: string, policy: PolicyCase, observed: Observed): void {
  const [min, max] = boundsOf(policy);
  let count = 0;
  let isUp = false;
  const events = observed.lifecycle.filter((e) => e.env === env);
  events.forEach((event, i) => {
    const where = `${env} at ${seconds(event.at)} s`;
    if (isEnvironmentEvent(event)) {
      if (event.kind === "created") {
        if (isUp || count !== 0) fail(`${where}: created while up, with ${count} replicas`);
        isUp = true;
      } else {
        if (count !== 0) fail(`${where}: teardown left ${count} replicas`);
        isUp = false;
      }
    } else if (event.kind === "requested") {
      if (!isUp) fail(`${where}: replica ${event.replica.id} requested while the env is down`);
      count++;
      if (count > max) fail(`${where}: ${count} replicas, above max ${max}`);
    } else if (event.kind === "removed") {
      count--;
      if (event.reason === "scaledown" && count < min) {
        fail(`${where}: scale-down of replica ${event.replica.id} left ${count}, below min ${min}`);
      }
      if (event.reason === "teardown" && !isTeardownAt(events, event.at)) {
        fail(`${where}: replica ${event.replica.id} removed by a teardown that did not happen`);
      }
    }

    const next = events[i + 1];
    if (next !== undefined && next.at === event.at) return;
    const end = `${env} at the end of ${seconds(event.at)} s`;
    if (isUp && count < min) fail(`${end}: up with ${count} replicas, below min ${min}`);
    if (!isUp && count !== 0) fail(`${end}: down with ${count} replicas`);
  });
}

function isEnvironmentEvent(event: ReplicaEvent | EnvironmentEvent): event is EnvironmentEvent {
  return event.kind === "created" || event.kind === "torn-down";
}

function isTeardownAt(events: (ReplicaEvent | EnvironmentEvent)[], at: number): boolean {
  return events.some((e) => e.kind === "torn-down" && e.at === at);
}

/**
 * MODEL.md §2.7: a replica is scaled down only when ready, idle and idle for scaledown_ttl; and an
 * idle replica past its due time (the next control tick after it) is not kept while the
 * environment has more than min replicas. In a stalled run, only up to the run's end.
 */
export function checkScaledown(
  env: string,
  policy: PolicyCase,
  controlPeriodSeconds: number,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const ttl = policy.scaledown_ttl * 1e6;
  const period = Math.round(controlPeriodSeconds * 1e6);
  const [min] = boundsOf(policy);
  const countAfter = replicaCountAfter(env, observed);

  for (const life of lives.values()) {
    if (life.env !== env || life.readyAt === null) continue;
    const name = `replica ${life.replica.id} of ${env}`;
    const tasks = observed.tasks.filter((t) => t.replica === life.replica && isPlaced(t));

    // Idle stretches: from ready or a task's end to the next placement, or to the removal.
    let idleFrom = life.readyAt;
    let running = 0;
    const stretches: [number, number][] = [];
    const steps = tasks.flatMap((t) => [
      { at: t.placedAt, delta: 1 },
      { at: leftAt(t), delta: -1 },
    ]);
    steps.sort((x, y) => x.at - y.at || y.delta - x.delta);
    for (const step of steps) {
      if (running === 0 && step.delta === 1) stretches.push([idleFrom, step.at]);
      running += step.delta;
      if (running === 0) idleFrom = step.at;
    }
    if (running === 0) stretches.push([idleFrom, life.until]);

    const [lastFrom] = stretches[stretches.length - 1];
    if (life.reason === "scaledown" && life.until < lastFrom + ttl) {
      fail(
        `${name} was scaled down at ${seconds(life.until)} s, idle only since ${seconds(lastFrom)} s`,
      );
    }
    for (const [from, to] of stretches) {
      const dueAt = from + ttl;
      const checkAt = period > 0 ? Math.ceil(dueAt / period) * period : dueAt;
      if (checkAt >= to) continue;
      const count = countAfter(checkAt);
      if (count > min) {
        fail(
          `${name}, idle since ${seconds(from)} s, was kept at ${seconds(checkAt)} s with ${count} replicas (min ${min})`,
        );
      }
    }
  }
}

/** The environment's replica count at the end of an instant. */
function replicaCountAfter(env: string, observed: Observed): (at: number) => number {
  const instants = instantsOf(env, observed);
  const counts: number[] = [];
  let count = 0;
  for (const instant of instants) {
    for (const event of instant.events) {
      if (event.kind === "requested") count++;
      if (event.kind === "removed") count--;
    }
    counts.push(count);
  }
  return (at) => {
    let result = 0;
    for (let i = 0; i < instants.length && instants[i].at <= at; i++) result = counts[i];
    return result;
  };
}

/**
 * MODEL.md §2.1 and §2.8: an environment alternates created / torn down; creation starts
 * max(1, min) replicas at once; teardown happens only with nothing running or waiting and no
 * activity for idle_ttl, and not later than the first control step where that holds (exactly
 * then with exact timers). Every environment is torn down by the end of the run, except one that
 * still holds unfinished tasks when a stalled run ends.
 */
export function checkLifecycle(
  env: string,
  policy: PolicyCase,
  controlPeriodSeconds: number,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const ttl = policy.idle_ttl * 1e6;
  const period = Math.round(controlPeriodSeconds * 1e6);
  const [min] = boundsOf(policy);
  const events = observed.environmentEvents.filter((e) => e.env === env);
  const tasks = observed.tasks.filter((t) => t.env.name === env);
  const placed = tasks.filter(isPlaced);
  const readyTimes = [...lives.values()]
    .filter((l) => l.env === env && l.readyAt !== null)
    .map((l) => l.readyAt as number);

  events.forEach((event, i) => {
    const expected = i % 2 === 0 ? "created" : "torn-down";
    if (event.kind !== expected)
      fail(`${env} was ${event.kind} at ${seconds(event.at)} s; expected ${expected}`);
  });
  const isUpAtEnd = events.length % 2 !== 0;
  if (isUpAtEnd && !tasks.some(isUnfinished)) {
    fail(`${env} is still up when the run ends, with no unfinished task`);
  }

  for (let i = 0; i < events.length; i += 2) {
    const createdAt = events[i].at;
    const tornDownAt = i + 1 < events.length ? events[i + 1].at : Infinity;
    const where = `${env} (created ${seconds(createdAt)} s)`;

    const requested = [...lives.values()].filter(
      (l) => l.env === env && l.requestedAt === createdAt,
    );
    if (requested.length < Math.max(1, min)) {
      fail(
        `${where} started ${requested.length} replicas; expected max(1, min) = ${Math.max(1, min)}`,
      );
    }

    // The environment's last activity up to an instant: creation, placements, slots freed,
    // readiness. A task that leaves the queue (it failed while waiting) is no activity.
    const activityUpTo = (at: number): number => {
      let latest = createdAt;
      for (const t of placed) {
        if (t.placedAt <= at && t.placedAt > latest) latest = t.placedAt;
        if (t.endAt <= at && t.endAt > latest) latest = t.endAt;
      }
      for (const r of readyTimes) if (r <= at && r > latest) latest = r;
      return latest;
    };
    const isEmptyAt = (at: number): boolean =>
      !tasks.some((t) => t.arrivalAt <= at && leftAt(t) > at);
    const isDueAt = (at: number): boolean => isEmptyAt(at) && at >= activityUpTo(at) + ttl;

    if (tornDownAt !== Infinity && !isDueAt(tornDownAt)) {
      fail(
        `${where} was torn down at ${seconds(tornDownAt)} s, before idle_ttl had passed with nothing to do`,
      );
    }

    // The first control step at which teardown was due: candidates are each activity + idle_ttl,
    // moved to the next tick when ticks are periodic; none after the run's end.
    const activities = [createdAt, ...readyTimes, ...placed.flatMap((t) => [t.placedAt, t.endAt])];
    const candidates = activities
      .filter((at) => at >= createdAt)
      .map((at) => (period > 0 ? Math.ceil((at + ttl) / period) * period : at + ttl))
      .filter((at) => at >= createdAt && at <= observed.endAt && isDueAt(at))
      .sort((a, b) => a - b);
    if (candidates.length > 0 && candidates[0] < tornDownAt) {
      fail(
        `${where} was due for teardown at ${seconds(candidates[0])} s but went at ${seconds(tornDownAt)} s`,
      );
    }
  }
}
