import type { Replica } from "./replica.js";

/**
 * Lifecycle events the engine reports to SimulationOptions.onReplicaEvent and
 * onEnvironmentEvent as they happen: for invariant checks and debugging, not for results.
 */

/** Why a replica went away: an idle replica above min, the whole environment, or its one task. */
export type RemovalReason = "scaledown" | "teardown" | "task-ended";

/** A step in a replica's life, as SimulationOptions.onReplicaEvent reports it. */
export interface ReplicaEvent {
  kind: "requested" | "ready" | "removed";
  env: string;
  replica: Replica;
  /** When it happened, in microseconds. */
  at: number;
  /** Set on "removed" only. */
  reason?: RemovalReason;
}

/** An environment created by its first task, or torn down after idle_ttl (reusable pools only). */
export interface EnvironmentEvent {
  kind: "created" | "torn-down";
  env: string;
  /** When it happened, in microseconds. */
  at: number;
}
