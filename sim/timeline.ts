import type { Accounting } from "./accounting.js";
import { roundMicros } from "./summary.js";

/**
 * One row of timeline.csv: an environment's state averaged over one step [time, time + step)
 * (the last row of a run may cover less than a step), with the peaks inside the step and the
 * counts of replica starts and environment creations that happened in it.
 */
export interface TimelineRow {
  time: number;
  env: string;
  starting: number;
  ready: number;
  busy: number;
  busySlots: number;
  waiting: number;
  peakReplicas: number;
  peakWaiting: number;
  /** Replicas requested in the step: each one a cold start. */
  replicaStarts: number;
  /** Times the environment was created (lazily, or again after a teardown) in the step. */
  envCreations: number;
}

export const TIMELINE_COLUMNS: readonly (keyof TimelineRow)[] = [
  "time",
  "env",
  "starting",
  "ready",
  "busy",
  "busySlots",
  "waiting",
  "peakReplicas",
  "peakWaiting",
  "replicaStarts",
  "envCreations",
];

interface Tracked {
  name: string;
  accounting: Accounting;
  starting: number;
  ready: number;
  busy: number;
  busySlots: number;
  waiting: number;
  replicaStarts: number;
  envCreations: number;
}

/** Cuts each environment's integrals into fixed steps and hands the rows to a sink. */
export class Timeline {
  readonly stepMicros: number;
  private readonly tracked: Tracked[] = [];
  private readonly sink: (row: TimelineRow) => void;
  private bucketStart = 0;

  constructor(stepMicros: number, sink: (row: TimelineRow) => void) {
    this.stepMicros = stepMicros;
    this.sink = sink;
  }

  track(name: string, accounting: Accounting): void {
    this.tracked.push({
      name,
      accounting,
      starting: 0,
      ready: 0,
      busy: 0,
      busySlots: 0,
      waiting: 0,
      replicaStarts: 0,
      envCreations: 0,
    });
  }

  /** Close the bucket that ends at `at` (a step boundary, or the end of the run). */
  cut(at: number): void {
    const length = at - this.bucketStart;
    if (length <= 0) return;
    for (const entry of this.tracked) this.emit(entry, at, length);
    this.bucketStart = at;
  }

  private emit(entry: Tracked, at: number, length: number): void {
    const a = entry.accounting;
    a.advance(at);
    const ready = a.idleMicros + a.busyMicros;
    const average = (now: number, before: number): number => roundMicros((now - before) / length);

    this.sink({
      time: roundMicros(this.bucketStart / 1e6),
      env: entry.name,
      starting: average(a.startingMicros, entry.starting),
      ready: average(ready, entry.ready),
      busy: average(a.busyMicros, entry.busy),
      busySlots: average(a.busySlotMicros, entry.busySlots),
      waiting: average(a.waitingMicros, entry.waiting),
      peakReplicas: a.bucketPeakReplicas,
      peakWaiting: a.bucketPeakWaiting,
      replicaStarts: a.replicaStarts - entry.replicaStarts,
      envCreations: a.environmentCreations - entry.envCreations,
    });

    entry.starting = a.startingMicros;
    entry.ready = ready;
    entry.busy = a.busyMicros;
    entry.busySlots = a.busySlotMicros;
    entry.waiting = a.waitingMicros;
    entry.replicaStarts = a.replicaStarts;
    entry.envCreations = a.environmentCreations;
    a.bucketPeakReplicas = a.liveReplicas;
    a.bucketPeakWaiting = a.waitingTasks;
  }
}
