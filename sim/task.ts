import type { Environment } from "./environment.js";
import type { Replica } from "./replica.js";

/**
 * How a task came to start (summary.json `tasksByStart`):
 * - warm: placed on a ready replica the moment it arrived;
 * - queued: waited, then took a slot that freed on a ready replica;
 * - cold: waited, then was placed on a replica the moment that replica became ready.
 */
export type StartKind = "warm" | "queued" | "cold";

/** Anything that carries a task's id: a workload's arrival. */
export interface HasId {
  readonly id: string;
}

/** One task's life in the simulation. Times are integer microseconds from the run's origin. */
export class Task {
  /**
   * NOTE: the id is read through the arrival rather than copied, so that a synthetic workload
   * can build its text only when someone asks (a tasks.csv writer), not for every task of a
   * ten-million-task run.
   */
  private readonly named: HasId;
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

  constructor(named: HasId, env: Environment, arrivalAt: number, workMicros: number) {
    this.named = named;
    this.env = env;
    this.arrivalAt = arrivalAt;
    this.workMicros = workMicros;
  }

  get id(): string {
    return this.named.id;
  }
}
