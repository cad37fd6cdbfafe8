import type { ReplicaEvent } from "../../../sim/lifecycle.js";
import type { Replica } from "../../../sim/replica.js";
import { type EnvironmentSummary, roundMicros } from "../../../sim/summary.js";
import { type Task, TaskState } from "../../../sim/task.js";
import {
  boundsOf,
  fail,
  hasStarted,
  isPlaced,
  isUnfinished,
  leftAt,
  type Observed,
  type ReplicaLife,
  seconds,
} from "./observe.js";
import type { CaseSpec, EnvironmentCase } from "./scenario-arbitrary.js";

// The summary and the timeline agree with what the tasks and replica events show (MODEL.md §4,
// §6): counts exactly, time integrals to the microsecond, costs to rounding.

/** One environment's tasks and replicas, and where its messages point. */
interface Part {
  where: string;
  summary: EnvironmentSummary;
  tasks: Task[];
  replicas: ReplicaLife[];
}

export function checkSummary(
  spec: CaseSpec,
  observed: Observed,
  lives: Map<Replica, ReplicaLife>,
): void {
  const endAt = checkRunEnd(spec, observed, lives);
  checkStalledAt(observed, lives);

  let totalCost = 0;
  for (const e of spec.environments) {
    const part: Part = {
      where: `summary of ${e.name}`,
      summary: observed.summary.environments[e.name],
      tasks: observed.tasks.filter((t) => t.env.name === e.name),
      replicas: [...lives.values()].filter((l) => l.env === e.name),
    };
    checkTaskCounts(spec, e, part);
    checkWaits(part);
    checkReplicaSeconds(part, endAt);
    checkIdleTail(e, part, observed);
    totalCost += checkCost(e, part);
    checkCreationsAndPeak(e, part, observed);
  }

  const { total } = observed.summary;
  const counts = outcomeCounts(observed.tasks);
  if (JSON.stringify(total.tasks) !== JSON.stringify(counts)) {
    fail(`total tasks ${JSON.stringify(total.tasks)}; the tasks show ${JSON.stringify(counts)}`);
  }
  if (Math.abs(total.cost.total - totalCost) > 1e-5) fail(`total cost does not add up`);
  const peak = peakCount(observed.replicaEvents);
  if (total.replicas.peak !== peak) fail(`total peak ${total.replicas.peak}, ${peak} seen`);
}

/**
 * The run ends at the last thing that happened: a task's end, a removal or a teardown. A stalled
 * run may end later, at a control step that finds nothing to do: with periodic ticks, the first
 * tick at which nothing but stuck environments is left.
 */
function checkRunEnd(spec: CaseSpec, observed: Observed, lives: Map<Replica, ReplicaLife>): number {
  const lastSeen = Math.max(
    0,
    ...observed.tasks.map((t) => t.endAt),
    ...[...lives.values()].map((l) => l.removedAt ?? 0),
    ...observed.environmentEvents.map((event) => event.at),
  );
  const { endSeconds, stalledAt } = observed.summary;
  const endAt = observed.endAt;
  const period = Math.round(spec.controlPeriodSeconds * 1e6);
  const isTickEnd = stalledAt !== null && period > 0 && endAt % period === 0 && endAt > lastSeen;
  const isTimerEnd = stalledAt !== null && period === 0 && endAt >= lastSeen;
  if (endSeconds !== roundMicros(lastSeen / 1e6) && !isTickEnd && !isTimerEnd) {
    fail(
      `endSeconds is ${endSeconds}; the last task, replica or teardown was at ${seconds(lastSeen)} s`,
    );
  }
  return endAt;
}

const isFailed = (task: Task): boolean =>
  task.state === TaskState.failed || task.state === TaskState.cancelled;

/**
 * Completed, failed (cancelled included), cancelled, failed before their code started, and
 * unfinished, from each task's state.
 */
function outcomeCounts(tasks: readonly Task[]): Part["summary"]["tasks"] {
  const count = (...states: number[]): number =>
    tasks.filter((t) => states.includes(t.state)).length;
  const counts = {
    arrived: tasks.length,
    completed: count(TaskState.completed),
    failed: count(TaskState.failed, TaskState.cancelled),
    cancelled: count(TaskState.cancelled),
    failedWaiting: tasks.filter((t) => isFailed(t) && t.startAt < 0).length,
    unfinished: tasks.filter(isUnfinished).length,
  };
  if (counts.arrived !== counts.completed + counts.failed + counts.unfinished) {
    fail(`the tasks' own states do not add up: ${JSON.stringify(counts)}`);
  }
  return counts;
}

/**
 * stalledAt is set exactly when tasks are left unfinished, and is the last time a task or a
 * replica moved: an arrival, a placement, an end, a replica becoming ready. After it, nothing
 * but control steps happened.
 */
function checkStalledAt(observed: Observed, lives: Map<Replica, ReplicaLife>): void {
  const { stalledAt } = observed.summary;
  const unfinished = observed.tasks.filter(isUnfinished).length;
  if ((stalledAt !== null) !== unfinished > 0) {
    fail(`stalledAt is ${stalledAt} with ${unfinished} unfinished tasks`);
  }
  if (stalledAt === null) return;

  const lastMove = Math.max(
    0,
    ...observed.tasks.flatMap((t) => [t.arrivalAt, t.placedAt, t.endAt]),
    ...[...lives.values()].map((l) => l.readyAt ?? 0),
  );
  if (stalledAt !== roundMicros(lastMove / 1e6)) {
    fail(`stalledAt is ${stalledAt}; the last task or replica moved at ${seconds(lastMove)} s`);
  }
  if (stalledAt > observed.summary.endSeconds) fail(`stalledAt ${stalledAt} is after the end`);
}

/**
 * Each outcome counted from the tasks' own states (not from the summary's arithmetic), and
 * arrived = completed + failed + unfinished on those counts. Every inline and trace root that
 * arrives before the horizon arrived; start kinds of the tasks whose code started.
 */
function checkTaskCounts(spec: CaseSpec, e: EnvironmentCase, part: Part): void {
  const { where, summary: s, tasks } = part;
  const horizonMicros = Number.isFinite(spec.horizonSeconds)
    ? Math.round(spec.horizonSeconds * 1e6)
    : Infinity;
  const isBeforeHorizon = (arrival: number): boolean => Math.round(arrival * 1e6) < horizonMicros;
  const inline = spec.tasks.filter((t) => t.env === e.name && isBeforeHorizon(t.arrival)).length;
  const traced = spec.trace.filter(
    (row) => row.arrival !== undefined && row.env === e.name && isBeforeHorizon(row.arrival),
  ).length;
  const roots = tasks.filter((t) => t.parent === null);
  const rootsOf = (prefix: string): number => roots.filter((t) => t.id.startsWith(prefix)).length;
  if (rootsOf("w0-") !== inline) {
    fail(`${where}: ${rootsOf("w0-")} inline tasks arrived; ${inline} arrive before the horizon`);
  }
  if (rootsOf("t") !== traced) {
    fail(`${where}: ${rootsOf("t")} trace roots arrived; ${traced} arrive before the horizon`);
  }

  const counts = outcomeCounts(tasks);
  for (const key of ["arrived", "completed", "failed", "cancelled", "unfinished"] as const) {
    if (s.tasks[key] !== counts[key]) {
      fail(`${where}: tasks.${key} is ${s.tasks[key]}; the tasks show ${counts[key]}`);
    }
  }

  const started = tasks.filter(hasStarted);
  for (const kind of ["warm", "queued", "cold"] as const) {
    const count = started.filter((t) => t.kind === kind).length;
    if (s.tasksByStart[kind] !== count) {
      fail(`${where}: ${s.tasksByStart[kind]} ${kind} starts, ${count} seen`);
    }
  }
}

/** Mean and max wait exactly; the sketch's percentiles in order and within the max. */
function checkWaits({ where, summary: s, tasks }: Part): void {
  const waits = tasks.filter(hasStarted).map((t) => t.startAt - t.arrivalAt);
  const max = roundMicros(Math.max(0, ...waits) / 1e6);
  const sum = waits.reduce((total, wait) => total + wait, 0);
  const mean = waits.length === 0 ? 0 : roundMicros(sum / waits.length / 1e6);
  if (s.wait.max !== max) fail(`${where}: wait.max ${s.wait.max}, seen ${max}`);
  if (s.wait.mean !== mean) fail(`${where}: wait.mean ${s.wait.mean}, seen ${mean}`);

  const { p50, p90, p99 } = s.wait;
  if (!(0 <= p50 && p50 <= p90 && p90 <= p99 && p99 <= s.wait.max)) {
    fail(`${where}: wait percentiles out of order: ${JSON.stringify(s.wait)}`);
  }
}

/**
 * Replica-seconds from the replicas' own lives (starting from request to ready, busy as the union
 * of their tasks' slots, idle the rest), busy slot-seconds, and the means over the run.
 */
function checkReplicaSeconds({ where, summary: s, tasks, replicas }: Part, endAt: number): void {
  let starting = 0;
  let busy = 0;
  let total = 0;
  const slotEnd = (t: Task): number => Math.min(leftAt(t), endAt);
  const placed = tasks.filter(isPlaced);
  for (const life of replicas) {
    total += life.until - life.requestedAt;
    starting += (life.readyAt ?? life.until) - life.requestedAt;
    const slots = placed.filter((t) => t.replica === life.replica);
    busy += unionLength(slots.map((t) => [t.placedAt, slotEnd(t)]));
  }
  const expected = { starting, busy, idle: total - starting - busy, total };

  const split = s.replicaSeconds;
  for (const key of ["starting", "busy", "idle", "total"] as const) {
    if (split[key] !== roundMicros(expected[key] / 1e6)) {
      fail(
        `${where}: replicaSeconds.${key} is ${split[key]}; the replicas show ${expected[key] / 1e6}`,
      );
    }
  }
  if (Math.abs(split.starting + split.busy + split.idle - split.total) > 3e-6) {
    fail(`${where}: starting + busy + idle != total replica-seconds`);
  }

  const busySlots = placed.reduce((sum, t) => sum + (slotEnd(t) - t.placedAt), 0);
  if (s.slotSeconds.busy !== roundMicros(busySlots / 1e6)) {
    fail(`${where}: busy slot-seconds ${s.slotSeconds.busy}; the tasks show ${busySlots / 1e6}`);
  }

  const span = Math.max(1, endAt);
  const leftQueueAt = (t: Task): number => (isPlaced(t) ? t.placedAt : slotEnd(t));
  const waiting = tasks.reduce((sum, t) => sum + (leftQueueAt(t) - t.arrivalAt), 0);
  const means: [string, number, number][] = [
    ["replicas.mean", s.replicas.mean, roundMicros(total / span)],
    ["meanWaiting", s.meanWaiting, roundMicros(waiting / span)],
    ["meanBusySlots", s.meanBusySlots, roundMicros(busySlots / span)],
  ];
  for (const [key, reported, seen] of means) {
    if (reported !== seen) fail(`${where}: ${key} is ${reported}; the run shows ${seen}`);
  }
}

/** The idle tail: replica-seconds from the environment's last task end to each teardown. */
function checkIdleTail(e: EnvironmentCase, part: Part, observed: Observed): void {
  let idleTail = 0;
  for (const teardown of observed.environmentEvents) {
    if (teardown.env !== e.name || teardown.kind !== "torn-down") continue;
    const ends = part.tasks
      .filter((t) => t.endAt >= 0 && t.endAt <= teardown.at)
      .map((t) => t.endAt);
    const emptyFrom = Math.max(...ends);
    for (const life of part.replicas) {
      const from = Math.max(life.requestedAt, emptyFrom);
      const to = Math.min(life.until, teardown.at);
      if (to > from) idleTail += to - from;
    }
  }
  const reported = part.summary.replicaSeconds.idleTail;
  if (reported !== roundMicros(idleTail / 1e6)) {
    fail(`${part.where}: idle tail ${reported} replica-s; the replicas show ${idleTail / 1e6}`);
  }
}

/** cost = replica-hours x rate, and its split adds up; returns the environment's cost. */
function checkCost(e: EnvironmentCase, { where, summary: s }: Part): number {
  const cost = (s.replicaSeconds.total / 3600) * e.perReplicaHour;
  if (Math.abs(s.cost.total - cost) > 1e-6) {
    fail(`${where}: cost ${s.cost.total}, replica-hours x rate is ${cost}`);
  }
  if (Math.abs(s.cost.starting + s.cost.busy + s.cost.idle - s.cost.total) > 3e-6) {
    fail(`${where}: cost split does not add up to ${s.cost.total}`);
  }
  return cost;
}

function checkCreationsAndPeak(e: EnvironmentCase, part: Part, observed: Observed): void {
  const { where, summary: s } = part;
  if (s.coldStarts.replicas !== part.replicas.length) {
    fail(
      `${where}: ${s.coldStarts.replicas} replica cold starts, ${part.replicas.length} requested`,
    );
  }
  const creations = observed.environmentEvents.filter(
    (x) => x.env === e.name && x.kind === "created",
  ).length;
  if (s.coldStarts.environments !== creations) {
    fail(`${where}: ${s.coldStarts.environments} environment cold starts, ${creations} seen`);
  }
  const peak = peakCount(observed.replicaEvents.filter((x) => x.env === e.name));
  if (s.replicas.peak !== peak) fail(`${where}: peak ${s.replicas.peak} replicas, ${peak} seen`);
}

function peakCount(events: ReplicaEvent[]): number {
  let count = 0;
  let peak = 0;
  for (const event of events) {
    if (event.kind === "requested") count++;
    if (event.kind === "removed") count--;
    peak = Math.max(peak, count);
  }
  return peak;
}

/** Length of the union of half-open intervals [from, to). */
function unionLength(intervals: number[][]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [from, to] = [-1, -1];
  for (const [a, b] of sorted) {
    if (a > to) {
      total += to - from;
      [from, to] = [a, b];
    } else if (b > to) to = b;
  }
  return total + (to - from);
}

/** Timeline rows: no pool above its max; the rows' busy slots integrate to the summary's. */
export function checkTimeline(spec: CaseSpec, observed: Observed): void {
  const end = observed.summary.endSeconds;
  for (const e of spec.environments) {
    const rows = observed.timeline.filter((row) => row.env === e.name);
    let busySlotSeconds = 0;
    rows.forEach((row, i) => {
      if (e.policy !== "none" && row.peakReplicas > boundsOf(e.policy)[1]) {
        fail(`${e.name} timeline at ${row.time} s: peak ${row.peakReplicas} replicas, above max`);
      }
      const length = (i + 1 < rows.length ? rows[i + 1].time : end) - row.time;
      busySlotSeconds += row.busySlots * length;
    });

    // Each row's average is rounded to 1e-6, so the integral may be off by 1e-6 x the run.
    const expected = observed.summary.environments[e.name].slotSeconds.busy;
    if (Math.abs(busySlotSeconds - expected) > 2e-6 * Math.max(1, end)) {
      fail(
        `${e.name}: the timeline's busy slot-seconds ${busySlotSeconds} differ from ${expected}`,
      );
    }
  }
}
