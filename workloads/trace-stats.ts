import { DDSketch } from "@datadog/sketches-js";
import { EXACT_WAITS_LIMIT } from "../sim/accounting.js";
import { isReservedName } from "../sim/environment-names.js";
import { UserError } from "../sim/errors.js";
import { EventQueue, Priority } from "../sim/event-queue.js";
import { type FixedFanout, fixedFanout } from "./fanout.js";
import type { ArrivalSource } from "./source.js";
import { traceMessages } from "./trace-messages.js";

/** Relative accuracy of the duration percentiles, past EXACT_DURATIONS_LIMIT tasks. */
const DURATION_RELATIVE_ACCURACY = 0.001;
/**
 * Up to this many tasks a stream also keeps every duration, so that a small trace's percentiles
 * are exact (a constant 1 s reads 1, not the sketch's 0.999), as the run summary's waits are.
 */
const EXACT_DURATIONS_LIMIT = EXACT_WAITS_LIMIT;
const MINUTE_MICROS = 60_000_000;
const QUANTILES = { p1: 0.01, p25: 0.25, p50: 0.5, p75: 0.75, p99: 0.99 } as const;

/** What a user looks at before choosing a policy, for the whole trace or one environment. */
export interface StreamStats {
  tasks: number;
  /** Seconds from the trace's start (after the window's shift); null without tasks. */
  firstArrival: number | null;
  lastArrival: number | null;
  /** Tasks per minute over every minute of the trace's span, minutes without tasks included. */
  perMinute: { min: number; mean: number; max: number; minutesWithoutTasks: number };
  /** Standard deviation of the gaps between arrivals over their mean; null under 3 tasks. */
  interArrivalCv: number | null;
  /**
   * Seconds. Percentiles are exact up to EXACT_DURATIONS_LIMIT tasks (the duration at rank
   * floor(q (n - 1))), beyond within 0.1% relative accuracy; never outside [min, max].
   */
  duration: {
    mean: number;
    p1: number;
    p25: number;
    p50: number;
    p75: number;
    p99: number;
    max: number;
  };
  /** Memory of a replica in MB, where the trace records it. */
  memoryMb?: number;
}

export interface TraceStats {
  /** Minutes from the first arrival's minute to the last one's, both included. */
  spanMinutes: number;
  total: StreamStats;
  /**
   * In order of first arrival. An object without a prototype: a name is only ever an
   * environment's, never a built-in property (the readers reject those names anyway).
   */
  environments: Record<string, StreamStats>;
}

/**
 * Accumulates one stream of arrivals in constant memory per environment: counts per minute as
 * they close, Welford's running mean and variance of the gaps, a sketch of the durations.
 */
class Accumulator {
  tasks = 0;
  firstAt = -1;
  lastAt = -1;
  private minute = -1;
  private minuteCount = 0;
  minMinute = Infinity;
  maxMinute = 0;
  minutesWithTasks = 0;
  private gapMean = 0;
  private gapSquares = 0;
  workSum = 0;
  workMin = Infinity;
  workMax = 0;
  readonly durations = new DDSketch({ relativeAccuracy: DURATION_RELATIVE_ACCURACY });
  /** Every duration in microseconds while there are at most EXACT_DURATIONS_LIMIT; null after. */
  private exactMicros: number[] | null = [];

  add(arrivalAt: number, workMicros: number): void {
    if (this.tasks > 0) this.addGap((arrivalAt - this.lastAt) / 1e6);
    else this.firstAt = arrivalAt;
    this.tasks++;
    this.lastAt = arrivalAt;

    const minute = Math.floor(arrivalAt / MINUTE_MICROS);
    if (minute !== this.minute) this.closeMinute(minute);
    this.minuteCount++;

    const seconds = workMicros / 1e6;
    this.workSum += seconds;
    this.workMin = Math.min(this.workMin, seconds);
    this.workMax = Math.max(this.workMax, seconds);
    this.durations.accept(seconds);
    if (this.exactMicros !== null) {
      if (this.exactMicros.length < EXACT_DURATIONS_LIMIT) this.exactMicros.push(workMicros);
      else this.exactMicros = null;
    }
  }

  /** The q-quantile of the durations in seconds: exact while every one is kept. */
  private durationQuantile(): (q: number) => number {
    if (this.tasks === 0) return () => 0;
    const exact = this.exactMicros?.sort((a, b) => a - b);
    if (exact !== undefined) return (q) => exact[Math.floor(q * (exact.length - 1))] / 1e6;
    // The sketch's answer is within 0.1% of a duration, which may put it just past the ends.
    return (q) =>
      Math.min(this.workMax, Math.max(this.workMin, this.durations.getValueAtQuantile(q)));
  }

  /** Welford's update over the gaps: no cancellation however many there are. */
  private addGap(gap: number): void {
    const count = this.tasks;
    const delta = gap - this.gapMean;
    this.gapMean += delta / count;
    this.gapSquares += delta * (gap - this.gapMean);
  }

  closeMinute(next: number): void {
    if (this.minuteCount > 0) {
      this.minMinute = Math.min(this.minMinute, this.minuteCount);
      this.maxMinute = Math.max(this.maxMinute, this.minuteCount);
      this.minutesWithTasks++;
    }
    this.minute = next;
    this.minuteCount = 0;
  }

  finish(spanMinutes: number, memoryMb: number | undefined): StreamStats {
    this.closeMinute(-1);
    const gaps = this.tasks - 1;
    const cv =
      gaps >= 2 && this.gapMean > 0 ? Math.sqrt(this.gapSquares / (gaps - 1)) / this.gapMean : null;
    const withoutTasks = spanMinutes - this.minutesWithTasks;
    const quantile = this.durationQuantile();

    return {
      tasks: this.tasks,
      firstArrival: this.tasks === 0 ? null : this.firstAt / 1e6,
      lastArrival: this.tasks === 0 ? null : this.lastAt / 1e6,
      perMinute: {
        min: withoutTasks > 0 || this.tasks === 0 ? 0 : this.minMinute,
        mean: spanMinutes === 0 ? 0 : this.tasks / spanMinutes,
        max: this.maxMinute,
        minutesWithoutTasks: withoutTasks,
      },
      interArrivalCv: cv,
      duration: {
        mean: this.tasks === 0 ? 0 : this.workSum / this.tasks,
        p1: quantile(QUANTILES.p1),
        p25: quantile(QUANTILES.p25),
        p50: quantile(QUANTILES.p50),
        p75: quantile(QUANTILES.p75),
        p99: quantile(QUANTILES.p99),
        max: this.workMax,
      },
      ...(memoryMb === undefined ? {} : { memoryMb }),
    };
  }
}

/** A task or a child of a trace's tree, as counted: a child waits for its earliest launch. */
interface Counted {
  readonly id: string;
  readonly env: string;
  readonly workMicros: number;
}

/**
 * Read a whole trace (as replay would) and describe it, in total and per environment. Every row
 * counts: a child (a trace's parent column) at its earliest launch, when its parent's own work
 * (or the wave before it) ends with no wait anywhere; children come in time order with the rest.
 */
export async function traceStats(source: ArrivalSource): Promise<TraceStats> {
  const total = new Accumulator();
  const byEnv = new Map<string, Accumulator>();
  const add = ({ id, env, workMicros }: Counted, arrivalAt: number) => {
    let accumulator = byEnv.get(env);
    if (accumulator === undefined) {
      // As a run does: the readers reject such names at their row, this is the last guard.
      if (isReservedName(env)) {
        throw new UserError(
          "BAD_TRACE",
          traceMessages.reservedTaskEnvironment(source.label, id, env),
        );
      }
      byEnv.set(env, (accumulator = new Accumulator()));
    }
    accumulator.add(arrivalAt, workMicros);
    total.add(arrivalAt, workMicros);
  };
  const children = new EventQueue<Counted>();
  const addChildrenUntil = (atMicros: number) => {
    while (children.size > 0 && children.peekTime() <= atMicros) {
      const at = children.peekTime();
      add(children.pop(), at);
    }
  };
  const schedule = (child: Counted, at: number) => children.push(at, Priority.arrival, child);

  try {
    for (let batch = await source.next(); batch !== null; batch = await source.next()) {
      for (const task of batch) {
        const { arrivalAt, workMicros, fanout } = task;
        addChildrenUntil(arrivalAt);
        add(task, arrivalAt);
        if (fanout !== undefined && fanout !== null) {
          launchAtEarliest(fixedFanout(fanout), arrivalAt + workMicros, schedule);
        }
      }
    }
    addChildrenUntil(Infinity);
  } finally {
    await source.close();
  }

  const spanMinutes =
    total.tasks === 0
      ? 0
      : Math.floor(total.lastAt / MINUTE_MICROS) - Math.floor(total.firstAt / MINUTE_MICROS) + 1;
  const environments: Record<string, StreamStats> = Object.create(null);
  for (const [env, accumulator] of byEnv) {
    environments[env] = accumulator.finish(spanMinutes, source.memoryMbOf?.(env));
  }
  return { spanMinutes, total: total.finish(spanMinutes, undefined), environments };
}

/**
 * Schedule every child of a tree at its earliest launch: the first wave when the parent's own
 * work ends (`launchAt`), each later wave when the one before has ended. Returns when the parent
 * would end: after its last wave and its tail.
 */
function launchAtEarliest(
  fanout: FixedFanout,
  launchAt: number,
  schedule: (child: Counted, at: number) => void,
): number {
  let waveAt = launchAt;
  for (let wave = 0; wave < fanout.waves; wave++) {
    let waveEnd = waveAt;
    for (const child of fanout.childrenOf(wave)) {
      schedule(child, waveAt);
      const ownEnd = waveAt + child.workMicros;
      const end =
        child.fanout === null
          ? ownEnd
          : launchAtEarliest(fixedFanout(child.fanout), ownEnd, schedule);
      waveEnd = Math.max(waveEnd, end);
    }
    waveAt = waveEnd;
  }
  return waveAt + fanout.tailMicros();
}
