import type { Sampler } from "../sim/distributions.js";
import type { Rng } from "../sim/random.js";
import type { ArrivalProcess } from "./arrival-processes.js";
import { type FanoutSpec, drawFanout } from "./fanout.js";
import { NumberedArrival } from "./numbered-arrival.js";
import type { ArrivalSource, TaskArrival } from "./source.js";

const BATCH_SIZE = 4096;

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
  /** 0: no timeout. */
  timeoutMicros: number;
  fanout: FanoutSpec | null;
  /** Stream for children's durations (used only with a fanout). */
  childrenRng: Rng;
}

/**
 * Generated arrivals for one workload. Arrival instants and task durations come from two
 * separate streams, so a change to the duration distribution leaves the arrival times as they
 * were.
 */
export class SyntheticSource implements ArrivalSource {
  readonly label: string;
  private readonly options: SyntheticSourceOptions;
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
    const { timeoutMicros, fanout, childrenRng } = this.options;

    const batch: TaskArrival[] = [];
    while (batch.length < BATCH_SIZE) {
      const arrivalAt = process.nextArrivalMicros(arrivalRng);
      if (arrivalAt >= horizonMicros) {
        this.isDone = true;
        break;
      }
      const workMicros = Math.round(duration.sample(durationRng) * 1e6);
      const arrival = new NumberedArrival(
        idPrefix,
        ++this.count,
        env,
        arrivalAt,
        workMicros,
        timeoutMicros,
      );
      if (fanout !== null) {
        arrival.fanout = drawFanout(fanout, arrival.id, env, timeoutMicros, childrenRng);
      }
      batch.push(arrival);
    }
    return batch.length > 0 ? batch : null;
  }

  async close(): Promise<void> {
    this.isDone = true;
  }
}
