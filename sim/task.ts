import type { Environment } from "./environment.js";
import type { Replica } from "./replica.js";

/**
 * How a task came to start (summary.json `tasksByStart`):
 * - warm: placed on a ready replica the moment it arrived;
 * - queued: waited, then took a slot that freed on a ready replica;
 * - cold: waited, then was placed on a replica the moment that replica became ready.
 */
export type StartKind = "warm" | "queued" | "cold";

/** One task's life in the simulation. Times are integer microseconds from the run's origin. */
export class Task {
  readonly id: string;
  readonly env: Environment;
  readonly arrivalAt: number;
  /** The task's own run time, overheads excluded. */
  readonly workMicros: number;
  /** Set when a slot is taken; -1 until then. */
  placedAt = -1;
  /** When the task's own code starts: placement plus dispatch and first-task overheads. */
  startAt = -1;
  endAt = -1;
  kind: StartKind = "warm";
  replica: Replica | null = null;

  constructor(id: string, env: Environment, arrivalAt: number, workMicros: number) {
    this.id = id;
    this.env = env;
    this.arrivalAt = arrivalAt;
    this.workMicros = workMicros;
  }
}
