import { DDSketch } from "@datadog/sketches-js";

/** Relative accuracy of the wait-time percentiles (0.1%, as the summary promises). */
export const WAIT_RELATIVE_ACCURACY = 0.001;

/**
 * Up to this many waits an environment also keeps every one, so a small run's percentiles are
 * exact (a constant 10 s wait reads 10, not the sketch's 10.004); beyond it only the sketch.
 */
export const EXACT_WAITS_LIMIT = 4096;

/** Replicas alive across every environment of a run, for the total peak. */
export interface FleetCounter {
  live: number;
  peak: number;
}

/**
 * Running counts and time integrals of one environment. Every change of state first calls
 * advance(now), which adds count x elapsed time to each integral, so the integrals are exact
 * (integer microseconds) however long the run.
 */
export class Accounting {
  // Counts right now.
  startingReplicas = 0;
  idleReplicas = 0;
  busyReplicas = 0;
  busySlots = 0;
  waitingTasks = 0;
  readonly concurrency: number;

  // Integrals since time 0, in count x microseconds.
  startingMicros = 0;
  idleMicros = 0;
  busyMicros = 0;
  busySlotMicros = 0;
  waitingMicros = 0;
  private lastAt = 0;

  // Task outcomes.
  arrived = 0;
  completed = 0;
  /** Failed at their timeout, or cancelled with a failed parent (counted in both). */
  failed = 0;
  cancelled = 0;
  /** Failed or cancelled before a slot was taken: no wait of theirs is in the statistics. */
  failedWaiting = 0;
  warmStarts = 0;
  queuedStarts = 0;
  coldStarts = 0;
  private readonly waitSketch = new DDSketch({ relativeAccuracy: WAIT_RELATIVE_ACCURACY });
  /** The last wait recorded, and how many times in a row; not yet in the sketch. */
  private repeatedWaitMicros = -1;
  private repeatedWaits = 0;
  waitSumMicros = 0;
  waitMaxMicros = 0;
  /** Every wait so far, while there are at most EXACT_WAITS_LIMIT; null after. */
  private exactWaits: number[] | null = [];

  // Replica and environment events.
  replicaStarts = 0;
  environmentCreations = 0;
  teardowns = 0;
  peakReplicas = 0;
  idleTailMicros = 0;
  /** Replica-microseconds counted when the environment last fell empty of tasks; -1 if busy. */
  private emptySinceReplicaMicros = -1;

  // Peaks since the timeline last read them.
  bucketPeakReplicas = 0;
  bucketPeakWaiting = 0;

  private readonly fleet: FleetCounter;

  constructor(concurrency: number, fleet: FleetCounter) {
    this.concurrency = concurrency;
    this.fleet = fleet;
  }

  get liveReplicas(): number {
    return this.startingReplicas + this.idleReplicas + this.busyReplicas;
  }

  /**
   * The distribution of waits, for its percentiles. Its own sum, min and max are not kept
   * exactly (waitSumMicros and waitMaxMicros are).
   *
   * @internal The sketch library's type declarations do not compile on their own (they need
   * protobufjs's), so it stays out of the published types.
   */
  get waits(): DDSketch {
    this.flushWaits();
    return this.waitSketch;
  }

  get replicaMicros(): number {
    return this.startingMicros + this.idleMicros + this.busyMicros;
  }

  advance(now: number): void {
    const elapsed = now - this.lastAt;
    if (elapsed <= 0) return;
    this.startingMicros += this.startingReplicas * elapsed;
    this.idleMicros += this.idleReplicas * elapsed;
    this.busyMicros += this.busyReplicas * elapsed;
    this.busySlotMicros += this.busySlots * elapsed;
    this.waitingMicros += this.waitingTasks * elapsed;
    this.lastAt = now;
  }

  recordReplicaRequested(now: number): void {
    this.advance(now);
    this.startingReplicas++;
    this.replicaStarts++;
    this.notePeaks();
    this.fleet.live++;
    if (this.fleet.live > this.fleet.peak) this.fleet.peak = this.fleet.live;
  }

  recordReplicaReady(now: number): void {
    this.advance(now);
    this.startingReplicas--;
    this.idleReplicas++;
  }

  /** A replica goes away: `running` tells its state (-1 starting, 0 idle, >0 busy). */
  recordReplicaRemoved(now: number, wasStarting: boolean, running: number): void {
    this.advance(now);
    this.fleet.live--;
    if (wasStarting) this.startingReplicas--;
    else if (running === 0) this.idleReplicas--;
    else {
      this.busyReplicas--;
      this.busySlots -= running;
    }
  }

  recordArrival(): void {
    this.arrived++;
    this.emptySinceReplicaMicros = -1;
  }

  recordWaiting(now: number, delta: 1 | -1): void {
    this.advance(now);
    this.waitingTasks += delta;
    if (this.waitingTasks > this.bucketPeakWaiting) this.bucketPeakWaiting = this.waitingTasks;
  }

  /** A slot is taken on a replica that had `runningBefore` tasks. */
  recordSlotTaken(now: number, runningBefore: number): void {
    this.advance(now);
    if (runningBefore === 0) {
      this.idleReplicas--;
      this.busyReplicas++;
    }
    this.busySlots++;
  }

  /** A slot is freed on a replica that now has `runningAfter` tasks. */
  recordSlotFreed(now: number, runningAfter: number): void {
    this.advance(now);
    if (runningAfter === 0) {
      this.busyReplicas--;
      this.idleReplicas++;
    }
    this.busySlots--;
  }

  recordStart(kind: "warm" | "queued" | "cold", waitMicros: number): void {
    if (kind === "warm") this.warmStarts++;
    else if (kind === "queued") this.queuedStarts++;
    else this.coldStarts++;
    if (waitMicros === this.repeatedWaitMicros) this.repeatedWaits++;
    else {
      this.flushWaits();
      this.repeatedWaitMicros = waitMicros;
      this.repeatedWaits = 1;
    }
    this.waitSumMicros += waitMicros;
    if (waitMicros > this.waitMaxMicros) this.waitMaxMicros = waitMicros;
    if (this.exactWaits !== null) {
      if (this.exactWaits.length < EXACT_WAITS_LIMIT) this.exactWaits.push(waitMicros);
      else this.exactWaits = null;
    }
  }

  /** Every wait in microseconds, when there are few enough to keep them all; else null. */
  get allWaitsMicros(): readonly number[] | null {
    return this.exactWaits;
  }

  recordCompletion(): void {
    this.completed++;
  }

  /** No task is running or waiting from now on, until the next arrival. */
  recordEmpty(now: number): void {
    this.advance(now);
    this.emptySinceReplicaMicros = this.replicaMicros;
  }

  /** The environment is torn down: what it spent since it fell empty is its idle tail. */
  recordTeardown(now: number): void {
    this.advance(now);
    this.teardowns++;
    if (this.emptySinceReplicaMicros >= 0) {
      this.idleTailMicros += this.replicaMicros - this.emptySinceReplicaMicros;
    }
    this.emptySinceReplicaMicros = -1;
  }

  /**
   * Hand the repeated wait to the sketch, with its count as the weight.
   *
   * NOTE: many waits in a row are the same (0, or exactly the dispatch overhead for a warm
   * start); one weighted accept costs one logarithm instead of one per task. A weight n adds n
   * to the same bin and count as n accepts do, so the percentiles are exactly the same.
   */
  private flushWaits(): void {
    if (this.repeatedWaits === 0) return;
    this.waitSketch.accept(this.repeatedWaitMicros / 1e6, this.repeatedWaits);
    this.repeatedWaits = 0;
  }

  private notePeaks(): void {
    const live = this.liveReplicas;
    if (live > this.peakReplicas) this.peakReplicas = live;
    if (live > this.bucketPeakReplicas) this.bucketPeakReplicas = live;
  }
}
