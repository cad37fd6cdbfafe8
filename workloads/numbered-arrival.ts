import type { Fanout } from "../sim/task.js";
import type { TaskArrival } from "./source.js";

/**
 * An arrival whose id is `${prefix}${number}`, as the generated and the per-minute workloads
 * number their tasks.
 *
 * NOTE: the id text is built when read, not when the arrival is made: turning a number into a
 * string costs more than the rest of the arrival, and a run without a tasks.csv never reads it.
 * Every field is set in the constructor, so all arrivals share one shape.
 */
export class NumberedArrival implements TaskArrival {
  readonly env: string;
  readonly arrivalAt: number;
  readonly workMicros: number;
  /** 0: no timeout. */
  timeoutMicros: number;
  fanout: Fanout | null;
  private readonly idPrefix: string;
  private readonly idNumber: number;

  constructor(
    idPrefix: string,
    idNumber: number,
    env: string,
    arrivalAt: number,
    workMicros: number,
    timeoutMicros: number,
  ) {
    this.idPrefix = idPrefix;
    this.idNumber = idNumber;
    this.env = env;
    this.arrivalAt = arrivalAt;
    this.workMicros = workMicros;
    this.timeoutMicros = timeoutMicros;
    this.fanout = null;
  }

  get id(): string {
    return this.idPrefix + this.idNumber;
  }
}
