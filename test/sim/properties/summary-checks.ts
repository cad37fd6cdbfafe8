import type { ReplicaEvent } from "../../../sim/lifecycle.js";
import type { Replica } from "../../../sim/replica.js";
import { type EnvironmentSummary, roundMicros } from "../../../sim/summary.js";
import type { Task } from "../../../sim/task.js";
import { boundsOf, fail, type Observed, type ReplicaLife, seconds } from "./observe.js";
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
  const endAt = checkRunEnd(observed, lives);

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
  if (Math.abs(total.cost.total - totalCost) > 1e-5) fail(`total cost does not add up`);
  const peak = peakCount(observed.replicaEvents);
  if (total.replicas.peak !== peak) fail(`total peak ${total.replicas.peak}, ${peak} seen`);
}

/** The run ends at the last thing that happened: a task's end, a removal or a teardown. */
function checkRunEnd(observed: Observed, lives: Map<Replica, ReplicaLife>): number {
  const endAt = Math.max(
    0,
    ...observed.tasks.map((t) => t.endAt),
    ...[...lives.values()].map((l) => l.removedAt as number),
    ...observed.environmentEvents.map((event) => event.at),
  );
  const { endSeconds } = observed.summary;
  if (endSeconds !== roundMicros(endAt / 1e6)) {
    fail(
      `endSeconds is ${endSeconds}; the last task, replica or teardown was at ${seconds(endAt)} s`,
    );
  }
  return endAt;
}

/** arrived = completed + unfinished; every inline task before the horizon arrived; start kinds. */
function checkTaskCounts(spec: CaseSpec, e: EnvironmentCase, part: Part): void {
  const { where, summary: s, tasks } = part;
  const horizonMicros = Number.isFinite(spec.horizonSeconds)
    ? Math.round(spec.horizonSeconds * 1e6)
    : Infinity;
  const inline = spec.tasks.filter(
    (t) => t.env === e.name && Math.round(t.arrival * 1e6) < horizonMicros,
  ).length;
  // Inline tasks are workload 0 (ids w0-n); Poisson workloads follow.
  const fromPoisson = tasks.filter((t) => !t.id.startsWith("w0-")).length;

  if (s.tasks.arrived !== tasks.length) {
    fail(`${where}: arrived ${s.tasks.arrived}, ${tasks.length} tasks seen`);
  }
  if (s.tasks.arrived !== inline + fromPoisson) {
    fail(
      `${where}: arrived ${s.tasks.arrived}, but ${inline} inline tasks arrive before the horizon`,
    );
  }
  if (s.tasks.arrived !== s.tasks.completed + s.tasks.unfinished) {
    fail(`${where}: arrived != completed + unfinished`);
  }
  if (s.tasks.unfinished !== 0) {
    fail(`${where}: ${s.tasks.unfinished} unfinished tasks; nothing can stop a task`);
  }
  for (const kind of ["warm", "queued", "cold"] as const) {
    const count = tasks.filter((t) => t.kind === kind).length;
    if (s.tasksByStart[kind] !== count) {
      fail(`${where}: ${s.tasksByStart[kind]} ${kind} starts, ${count} seen`);
    }
  }
}

/** Mean and max wait exactly; the sketch's percentiles in order and within the max. */
function checkWaits({ where, summary: s, tasks }: Part): void {
  const waits = tasks.map((t) => t.startAt - t.arrivalAt);
  const max = roundMicros(Math.max(0, ...waits) / 1e6);
  const sum = waits.reduce((total, wait) => total + wait, 0);
  const mean = tasks.length === 0 ? 0 : roundMicros(sum / tasks.length / 1e6);
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
  for (const life of replicas) {
    const removedAt = life.removedAt as number;
    total += removedAt - life.requestedAt;
    starting += (life.readyAt ?? removedAt) - life.requestedAt;
    const slots = tasks.filter((t) => t.replica === life.replica);
    busy += unionLength(slots.map((t) => [t.placedAt, t.endAt]));
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

  const busySlots = tasks.reduce((sum, t) => sum + (t.endAt - t.placedAt), 0);
  if (s.slotSeconds.busy !== roundMicros(busySlots / 1e6)) {
    fail(`${where}: busy slot-seconds ${s.slotSeconds.busy}; the tasks show ${busySlots / 1e6}`);
  }

  const span = Math.max(1, endAt);
  const waiting = tasks.reduce((sum, t) => sum + (t.placedAt - t.arrivalAt), 0);
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
    const ends = part.tasks.filter((t) => t.endAt <= teardown.at).map((t) => t.endAt);
    const emptyFrom = Math.max(...ends);
    for (const life of part.replicas) {
      const from = Math.max(life.requestedAt, emptyFrom);
      const to = Math.min(life.removedAt as number, teardown.at);
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
