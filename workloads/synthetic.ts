import type { Sampler } from "../sim/distributions.js";
import type { Rng } from "../sim/random.js";
import type { ArrivalSource, TaskArrival } from "./source.js";

const BATCH_SIZE = 4096;

/** Gaps between arrivals, in microseconds; a process draws from its own stream. */
export interface ArrivalProcess {
  nextGapMicros(rng: Rng): number;
}

/** Poisson arrivals: exponential gaps with mean 1/rate, drawn by inversion. */
export function poissonProcess(ratePerSecond: number): ArrivalProcess {
  const meanGapMicros = 1e6 / ratePerSecond;
  return { nextGapMicros: (rng) => Math.round(-meanGapMicros * Math.log(1 - rng())) };
}

export interface SyntheticSourceOptions {
  label: string;
  env: string;
  /** Prefix of the generated task ids: `${idPrefix}${n}` with n from 1. */
  idPrefix: string;
  process: ArrivalProcess;
  duration: Sampler;
  arrivalRng: Rng;
  durationRng: Rng;
  /** Arrivals stop before this instant. */
  horizonMicros: number;
}

/**
 * Generated arrivals for one workload. Arrival gaps and task durations come from two separate
 * streams, so a change to the duration distribution leaves the arrival times as they were.
 */
export class SyntheticSource implements ArrivalSource {
  readonly label: string;
  private readonly options: SyntheticSourceOptions;
  private clock = 0;
  private count = 0;
  private isDone = false;

  constructor(options: SyntheticSourceOptions) {
    this.label = options.label;
    this.options = options;
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    const { env, idPrefix, process, duration, arrivalRng, durationRng, horizonMicros } =
      this.options;

    const batch: TaskArrival[] = [];
    while (batch.length < BATCH_SIZE) {
      this.clock += process.nextGapMicros(arrivalRng);
      if (this.clock >= horizonMicros) {
        this.isDone = true;
        break;
      }
      const workMicros = Math.round(duration.sample(durationRng) * 1e6);
      batch.push(new NumberedArrival(idPrefix, ++this.count, env, this.clock, workMicros));
    }
    return batch.length > 0 ? batch : null;
  }

  async close(): Promise<void> {
    this.isDone = true;
  }
}

/**
 * A generated arrival whose id is `${prefix}${number}`.
 *
 * NOTE: the id text is built when read, not when the arrival is made: turning a number into a
 * string costs more than the rest of the arrival, and a run without a tasks.csv never reads it.
 */
class NumberedArrival implements TaskArrival {
  readonly env: string;
  readonly arrivalAt: number;
  readonly workMicros: number;
  private readonly idPrefix: string;
  private readonly idNumber: number;

  constructor(
    idPrefix: string,
    idNumber: number,
    env: string,
    arrivalAt: number,
    workMicros: number,
  ) {
    this.idPrefix = idPrefix;
    this.idNumber = idNumber;
    this.env = env;
    this.arrivalAt = arrivalAt;
    this.workMicros = workMicros;
  }

  get id(): string {
    return this.idPrefix + this.idNumber;
  }
}
