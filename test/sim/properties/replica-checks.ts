import type { Replica } from "../../../sim/replica.js";
import { boundsOf, fail, instantsOf, type Observed, type ReplicaLife, seconds } from "./observe.js";
import type { CaseSpec, PolicyCase } from "./scenario-arbitrary.js";

// What every replica's and environment's life must look like (MODEL.md §2.1-2.2, §2.5-2.9).

/** Cold start = ready - requested, equal to the engine's draw; every replica is gone at the end. */
export function checkReplicaLives(
  spec: CaseSpec,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const nextId = new Map<string, number>();
  for (const life of lives.values()) {
    const name = `replica ${life.replica.id} of ${life.env}`;
    const id = (nextId.get(life.env) ?? 0) + 1;
    nextId.set(life.env, id);
    if (life.replica.id !== id) fail(`${name} should have id ${id}: ids count up from 1`);
    if (life.removedAt === null) fail(`${name} is still there when the run ends`);
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
    const life = task.replica === null ? undefined : lives.get(task.replica);
    if (life === undefined) fail(`task ${task.id} ran on a replica that was never requested`);
    if ((life.removedAt as number) < task.endAt) {
      fail(`task ${task.id} still ran on replica ${life.replica.id} after its removal`);
    }
    if (life.reason === "task-ended" && life.removedAt !== task.endAt) {
      fail(`no-reuse replica ${life.replica.id} was not removed when task ${task.id} ended`);
    }
  }
}

/**
 * Replicas (starting and ready) stay within [0, max]; at the end of every instant there are none
 * (the environment is down) or at least min; scale-down never goes below min; teardown removes all.
 */
export function checkReplicaCounts(env: string, policy: PolicyCase, observed: Observed): void {
  const [min, max] = boundsOf(policy);
  let count = 0;
  for (const instant of instantsOf(env, observed)) {
    let tornDown = false;
    for (const event of instant.events) {
      if (event.kind === "requested") count++;
      if (event.kind === "removed") count--;
      const where = `${env} at ${seconds(instant.at)} s`;
      if (count > max) fail(`${where}: ${count} replicas, above max ${max}`);
      if (event.reason === "scaledown" && count < min) {
        fail(`${where}: scale-down of replica ${event.replica.id} left ${count}, below min ${min}`);
      }
      if (event.reason === "teardown") tornDown = true;
    }
    const where = `${env} at the end of ${seconds(instant.at)} s`;
    if (tornDown && count !== 0) fail(`${where}: teardown left ${count} replicas`);
    if (count !== 0 && count < min) fail(`${where}: ${count} replicas, below min ${min}`);
  }
}

/**
 * MODEL.md §2.7: a replica is scaled down only when ready, idle and idle for scaledown_ttl; and an
 * idle replica past its due time (the next control tick after it) is not kept while the
 * environment has more than min replicas.
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
    const removedAt = life.removedAt as number;
    const tasks = observed.tasks.filter((t) => t.replica === life.replica);

    // Idle stretches: from ready or a task's end to the next placement, or to the removal.
    const busy = tasks.map((t) => [t.placedAt, t.endAt]).sort((a, b) => a[0] - b[0]);
    let idleFrom = life.readyAt;
    let running = 0;
    const stretches: [number, number][] = [];
    const steps = busy.flatMap(([placed, end]) => [
      { at: placed, delta: 1 },
      { at: end, delta: -1 },
    ]);
    steps.sort((x, y) => x.at - y.at || y.delta - x.delta);
    for (const step of steps) {
      if (running === 0 && step.delta === 1) stretches.push([idleFrom, step.at]);
      running += step.delta;
      if (running === 0) idleFrom = step.at;
    }
    stretches.push([idleFrom, removedAt]);

    const [lastFrom] = stretches[stretches.length - 1];
    if (life.reason === "scaledown" && removedAt < lastFrom + ttl) {
      fail(
        `${name} was scaled down at ${seconds(removedAt)} s, idle only since ${seconds(lastFrom)} s`,
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
 * then with exact timers); every environment is torn down by the end of the run.
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
  const readyTimes = [...lives.values()]
    .filter((l) => l.env === env && l.readyAt !== null)
    .map((l) => l.readyAt as number);

  events.forEach((event, i) => {
    const expected = i % 2 === 0 ? "created" : "torn-down";
    if (event.kind !== expected)
      fail(`${env} was ${event.kind} at ${seconds(event.at)} s; expected ${expected}`);
  });
  if (events.length % 2 !== 0) fail(`${env} is still alive when the run ends`);

  for (let i = 0; i < events.length; i += 2) {
    const createdAt = events[i].at;
    const tornDownAt = events[i + 1].at;
    const where = `${env} (created ${seconds(createdAt)} s)`;

    const requested = [...lives.values()].filter(
      (l) => l.env === env && l.requestedAt === createdAt,
    );
    if (requested.length < Math.max(1, min)) {
      fail(
        `${where} started ${requested.length} replicas; expected max(1, min) = ${Math.max(1, min)}`,
      );
    }

    // The environment's last activity up to an instant: creation, placements, ends, readiness.
    const activityUpTo = (at: number): number => {
      let latest = createdAt;
      for (const t of tasks) {
        if (t.placedAt <= at && t.placedAt > latest) latest = t.placedAt;
        if (t.endAt <= at && t.endAt > latest) latest = t.endAt;
      }
      for (const r of readyTimes) if (r <= at && r > latest) latest = r;
      return latest;
    };
    const isEmptyAt = (at: number): boolean =>
      !tasks.some((t) => t.arrivalAt <= at && t.endAt > at);
    const isDueAt = (at: number): boolean => isEmptyAt(at) && at >= activityUpTo(at) + ttl;

    if (!isDueAt(tornDownAt)) {
      fail(
        `${where} was torn down at ${seconds(tornDownAt)} s, before idle_ttl had passed with nothing to do`,
      );
    }

    // The first control step at which teardown was due: candidates are each activity + idle_ttl,
    // moved to the next tick when ticks are periodic.
    const activities = [createdAt, ...readyTimes, ...tasks.flatMap((t) => [t.placedAt, t.endAt])];
    const candidates = activities
      .filter((at) => at >= createdAt)
      .map((at) => (period > 0 ? Math.ceil((at + ttl) / period) * period : at + ttl))
      .filter((at) => at >= createdAt && isDueAt(at))
      .sort((a, b) => a - b);
    if (candidates.length > 0 && candidates[0] < tornDownAt) {
      fail(
        `${where} was due for teardown at ${seconds(candidates[0])} s but went at ${seconds(tornDownAt)} s`,
      );
    }
  }
}
