import { DDSketch } from "@datadog/sketches-js";
import { type Accounting, WAIT_RELATIVE_ACCURACY } from "./accounting.js";

/** Results of a run as plain data: the shape of summary.json. Times in seconds. */
export interface Summary {
  scenario: string;
  seed: number;
  /** When the last event happened: every task ended and every environment torn down. */
  endSeconds: number;
  /** When the run stalled (tasks in flight that can never finish), or null. */
  stalledAt: number | null;
  environments: Record<string, EnvironmentSummary>;
  total: TotalSummary;
}

export interface EnvironmentSummary extends Measures {
  policy: Record<string, unknown>;
  costPerReplicaHour: number;
  /** Moments when every slot was held by parents waiting on children queued here. */
  starvation: StarvationReport[];
}

export interface StarvationReport {
  at: number;
  env: string;
  slots: number;
  parents: string[];
  children: string[];
  /** What happened and what to do about it, in words. */
  reason: string;
}

export type TotalSummary = Measures;

export interface Measures {
  /**
   * arrived = completed + failed + unfinished; cancelled tasks are counted in failed, and so are
   * those that failed or were cancelled before their own code started (failedWaiting): while
   * waiting, or during their dispatch or first-task overhead.
   */
  tasks: {
    arrived: number;
    completed: number;
    failed: number;
    cancelled: number;
    failedWaiting: number;
    unfinished: number;
  };
  /** Over the tasks that started: one that never did (failedWaiting, unfinished) has no wait. */
  wait: { mean: number; p50: number; p90: number; p99: number; max: number };
  tasksByStart: { warm: number; queued: number; cold: number };
  coldStarts: { replicas: number; environments: number };
  replicas: { peak: number; mean: number };
  replicaSeconds: { starting: number; busy: number; idle: number; total: number; idleTail: number };
  /** Slot-seconds: a ready replica offers `concurrency` slots; a busy slot holds a task. */
  slotSeconds: { busy: number; ready: number };
  /** Busy slot-seconds over ready slot-seconds; null when no replica was ever ready. */
  utilisation: number | null;
  /** Time-averaged number of waiting tasks. */
  meanWaiting: number;
  /** Time-averaged number of busy slots (Little's law: arrival rate x mean task time). */
  meanBusySlots: number;
  cost: { total: number; starting: number; busy: number; idle: number; idleTail: number };
}

/** What summarise() needs of each environment. */
export interface SummarySource {
  name: string;
  accounting: Accounting;
  policy: Record<string, unknown>;
  perReplicaHour: number;
  starvation: StarvationReport[];
}

const SECONDS_PER_HOUR = 3600;

/** Round to the microsecond so that summary.json diffs cleanly; -0 becomes 0. */
export function roundMicros(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}

export function summarise(
  scenario: string,
  seed: number,
  endMicros: number,
  sources: readonly SummarySource[],
  peakTotalReplicas: number,
  run: { stalledAt: number | null },
): Summary {
  const environments: Record<string, EnvironmentSummary> = {};
  for (const source of sources) {
    environments[source.name] = {
      policy: source.policy,
      costPerReplicaHour: source.perReplicaHour,
      starvation: source.starvation,
      ...measure([source], endMicros, source.accounting.peakReplicas),
    };
  }
  return {
    scenario,
    seed,
    endSeconds: roundMicros(endMicros / 1e6),
    stalledAt: run.stalledAt,
    environments,
    total: measure(sources, endMicros, peakTotalReplicas),
  };
}

/** The measures of one environment, or of several added together. */
function measure(sources: readonly SummarySource[], endMicros: number, peak: number): Measures {
  const sum = (pick: (a: Accounting) => number): number =>
    sources.reduce((total, source) => total + pick(source.accounting), 0);
  const costOf = (pick: (a: Accounting) => number): number =>
    sources.reduce(
      (total, s) => total + (pick(s.accounting) / 1e6 / SECONDS_PER_HOUR) * s.perReplicaHour,
      0,
    );

  const arrived = sum((a) => a.arrived);
  const completed = sum((a) => a.completed);
  const failed = sum((a) => a.failed);
  const started = sum((a) => a.warmStarts + a.queuedStarts + a.coldStarts);
  const readySlotMicros = sum((a) => (a.idleMicros + a.busyMicros) * a.concurrency);
  const span = endMicros > 0 ? endMicros : 1;
  const exact = exactWaits(sources);
  const waits = exact === null ? mergedWaits(sources) : null;
  const percentile = (q: number): number => {
    if (started === 0) return 0;
    if (exact !== null) return roundMicros(exact[Math.floor(q * (exact.length - 1))] / 1e6);
    return roundMicros(Math.min((waits as DDSketch).getValueAtQuantile(q), maxWait(sources)));
  };

  return {
    tasks: {
      arrived,
      completed,
      failed,
      cancelled: sum((a) => a.cancelled),
      failedWaiting: sum((a) => a.failedWaiting),
      unfinished: arrived - completed - failed,
    },
    wait: {
      mean: started === 0 ? 0 : roundMicros(sum((a) => a.waitSumMicros) / started / 1e6),
      p50: percentile(0.5),
      p90: percentile(0.9),
      p99: percentile(0.99),
      max: roundMicros(maxWait(sources)),
    },
    tasksByStart: {
      warm: sum((a) => a.warmStarts),
      queued: sum((a) => a.queuedStarts),
      cold: sum((a) => a.coldStarts),
    },
    coldStarts: {
      replicas: sum((a) => a.replicaStarts),
      environments: sum((a) => a.environmentCreations),
    },
    replicas: { peak, mean: roundMicros(sum((a) => a.replicaMicros) / span) },
    replicaSeconds: {
      starting: roundMicros(sum((a) => a.startingMicros) / 1e6),
      busy: roundMicros(sum((a) => a.busyMicros) / 1e6),
      idle: roundMicros(sum((a) => a.idleMicros) / 1e6),
      total: roundMicros(sum((a) => a.replicaMicros) / 1e6),
      idleTail: roundMicros(sum((a) => a.idleTailMicros) / 1e6),
    },
    slotSeconds: {
      busy: roundMicros(sum((a) => a.busySlotMicros) / 1e6),
      ready: roundMicros(readySlotMicros / 1e6),
    },
    utilisation:
      readySlotMicros === 0 ? null : roundMicros(sum((a) => a.busySlotMicros) / readySlotMicros),
    meanWaiting: roundMicros(sum((a) => a.waitingMicros) / span),
    meanBusySlots: roundMicros(sum((a) => a.busySlotMicros) / span),
    cost: {
      total: roundMicros(costOf((a) => a.replicaMicros)),
      starting: roundMicros(costOf((a) => a.startingMicros)),
      busy: roundMicros(costOf((a) => a.busyMicros)),
      idle: roundMicros(costOf((a) => a.idleMicros)),
      idleTail: roundMicros(costOf((a) => a.idleTailMicros)),
    },
  };
}

function maxWait(sources: readonly SummarySource[]): number {
  return sources.reduce((max, s) => Math.max(max, s.accounting.waitMaxMicros), 0) / 1e6;
}

/**
 * Every wait of the sources, sorted, when each keeps them all; else null. Percentile q is then
 * the wait at rank floor(q (n - 1)), the rank the sketch answers for.
 */
function exactWaits(sources: readonly SummarySource[]): number[] | null {
  const all: number[] = [];
  for (const source of sources) {
    const waits = source.accounting.allWaitsMicros;
    if (waits === null) return null;
    for (const wait of waits) all.push(wait);
  }
  return all.sort((a, b) => a - b);
}

function mergedWaits(sources: readonly SummarySource[]): DDSketch {
  if (sources.length === 1) return sources[0].accounting.waits;
  const merged = new DDSketch({ relativeAccuracy: WAIT_RELATIVE_ACCURACY });
  for (const source of sources) {
    if (source.accounting.waits.count > 0) merged.merge(source.accounting.waits);
  }
  return merged;
}
