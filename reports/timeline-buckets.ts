import { roundMicros } from "../sim/summary.js";
import type { TimelineRow } from "../sim/timeline.js";

/**
 * Charts show at most this many time buckets per environment. A run's timeline may have one row
 * a second for a day (86,400 rows); grouping rows keeps a chart small and quick to draw.
 */
export const MAX_TIME_BUCKETS = 200;

/** An environment's state over [startSeconds, endSeconds): averages, peaks and counts. */
export interface TimeBucket {
  startSeconds: number;
  endSeconds: number;
  starting: number;
  /** Ready replicas running no task. */
  idle: number;
  busy: number;
  waiting: number;
  peakReplicas: number;
  peakWaiting: number;
  replicaStarts: number;
  envCreations: number;
}

export interface TimelineBuckets {
  /** Length of every bucket but perhaps the last: a whole number of timeline steps. */
  bucketSeconds: number;
  /** Buckets of each environment, in time order, from 0 to the end of the run. */
  byEnvironment: Map<string, TimeBucket[]>;
}

/** Sums over the rows of one bucket so far, weighted by each row's length in microseconds. */
interface Accumulator {
  index: number;
  weightMicros: number;
  starting: number;
  idle: number;
  busy: number;
  waiting: number;
  peakReplicas: number;
  peakWaiting: number;
  replicaStarts: number;
  envCreations: number;
}

/**
 * Groups timeline.csv rows, read in file order, into at most `maxBuckets` buckets per environment.
 * The run's end and step fix the bucket length before the first row, so rows stream through.
 */
export class TimelineAggregator {
  private readonly stepMicros: number;
  private readonly endMicros: number;
  private readonly rowsPerBucket: number;
  private readonly buckets = new Map<string, TimeBucket[]>();
  private readonly open = new Map<string, Accumulator>();

  constructor(
    stepSeconds: number,
    endSeconds: number,
    environments: readonly string[],
    maxBuckets = MAX_TIME_BUCKETS,
  ) {
    this.stepMicros = Math.max(1, Math.round(stepSeconds * 1e6));
    this.endMicros = Math.round(endSeconds * 1e6);
    this.rowsPerBucket = rowsPerBucket(this.stepMicros, this.endMicros, maxBuckets);
    for (const name of environments) this.buckets.set(name, []);
  }

  get bucketSeconds(): number {
    return (this.rowsPerBucket * this.stepMicros) / 1e6;
  }

  /** False when the row names an environment the aggregator was not told about. */
  add(row: TimelineRow): boolean {
    const done = this.buckets.get(row.env);
    if (done === undefined) return false;

    const startMicros = Math.round(row.time * 1e6);
    const index = Math.floor(Math.round(startMicros / this.stepMicros) / this.rowsPerBucket);
    const weight = Math.max(0, Math.min(this.stepMicros, this.endMicros - startMicros));
    let sums = this.open.get(row.env);
    if (sums !== undefined && sums.index !== index) {
      done.push(this.close(sums));
      sums = undefined;
    }
    sums ??= emptyAccumulator(index);
    this.open.set(row.env, sums);

    sums.weightMicros += weight;
    sums.starting += row.starting * weight;
    sums.idle += (row.ready - row.busy) * weight;
    sums.busy += row.busy * weight;
    sums.waiting += row.waiting * weight;
    sums.peakReplicas = Math.max(sums.peakReplicas, row.peakReplicas);
    sums.peakWaiting = Math.max(sums.peakWaiting, row.peakWaiting);
    sums.replicaStarts += row.replicaStarts;
    sums.envCreations += row.envCreations;
    return true;
  }

  result(): TimelineBuckets {
    for (const [name, sums] of this.open) this.buckets.get(name)?.push(this.close(sums));
    this.open.clear();
    return { bucketSeconds: this.bucketSeconds, byEnvironment: this.buckets };
  }

  private close(sums: Accumulator): TimeBucket {
    const startMicros = sums.index * this.rowsPerBucket * this.stepMicros;
    const endMicros = Math.min(startMicros + this.rowsPerBucket * this.stepMicros, this.endMicros);
    const mean = (sum: number): number =>
      sums.weightMicros === 0 ? 0 : roundMicros(sum / sums.weightMicros);
    return {
      startSeconds: startMicros / 1e6,
      endSeconds: Math.max(endMicros, startMicros) / 1e6,
      starting: mean(sums.starting),
      idle: mean(sums.idle),
      busy: mean(sums.busy),
      waiting: mean(sums.waiting),
      peakReplicas: sums.peakReplicas,
      peakWaiting: sums.peakWaiting,
      replicaStarts: sums.replicaStarts,
      envCreations: sums.envCreations,
    };
  }
}

function emptyAccumulator(index: number): Accumulator {
  return {
    index,
    weightMicros: 0,
    starting: 0,
    idle: 0,
    busy: 0,
    waiting: 0,
    peakReplicas: 0,
    peakWaiting: 0,
    replicaStarts: 0,
    envCreations: 0,
  };
}

/** Bucket lengths a reader takes in at a glance, in seconds: 1s to 1 day. */
const ROUND_SECONDS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];

/**
 * Timeline rows per bucket: the fewest that keep the count of buckets within `maxBuckets`,
 * rounded up to a bucket of round length (10 minutes rather than 7m14s) when that is a whole
 * number of steps.
 */
function rowsPerBucket(stepMicros: number, endMicros: number, maxBuckets: number): number {
  const fewest = Math.max(1, Math.ceil(Math.ceil(endMicros / stepMicros) / maxBuckets));
  for (const seconds of ROUND_SECONDS) {
    const micros = seconds * 1e6;
    if (micros >= fewest * stepMicros && micros % stepMicros === 0) return micros / stepMicros;
  }
  return fewest;
}
