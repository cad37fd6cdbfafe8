import type { Environment } from "./environment.js";
import type { Task } from "./task.js";

export const ReplicaState = { starting: 0, ready: 1, removed: 2 } as const;
export type ReplicaStateValue = (typeof ReplicaState)[keyof typeof ReplicaState];

/** One container of an environment. Ids count up from 1 within an environment over a run. */
export class Replica {
  readonly id: number;
  readonly env: Environment;
  readonly requestedAt: number;
  state: ReplicaStateValue = ReplicaState.starting;
  readyAt = -1;
  /** Tasks holding a slot on this replica. */
  running = 0;
  /** Last moment a task was placed on or ran on this replica; its ready time before any. */
  lastActivityAt = -1;
  /** Whether a task has been placed here yet (the first one pays the first-task overhead). */
  hasHadTask = false;
  /** Index in its pool's array of replicas, for the free-slot index in policies/free-slots.ts. */
  position = -1;
  /** The no-reuse baseline binds each replica to the one task it was started for. */
  boundTask: Task | null = null;

  constructor(id: number, env: Environment, requestedAt: number) {
    this.id = id;
    this.env = env;
    this.requestedAt = requestedAt;
  }

  get isReady(): boolean {
    return this.state === ReplicaState.ready;
  }
}
