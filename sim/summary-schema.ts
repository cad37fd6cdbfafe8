import { type Static, Type } from "@sinclair/typebox";

import type { IsSame } from "./same-type.js";
import type { Summary } from "./summary.js";

/**
 * summary.json as `reuse-sim run --out` writes it, as a JSON Schema: `reuse-sim report` checks a
 * saved run against it before drawing anything, so that a damaged file is one line naming the
 * field rather than a crash in a chart. The Summary type (sim/summary.ts) is the source of
 * truth: the compiler rejects this schema when the two part ways.
 *
 * Every number is finite and within what a run can write: counts are whole numbers, and every
 * measure (seconds, slot-seconds, money) is from 0 to MAX_SAVED_NUMBER.
 */

/**
 * Far beyond any run (31 million years in seconds); JSON's 1e400 (Infinity) and damaged values
 * such as 1e300 are not, and would break the charts' arithmetic.
 */
export const MAX_SAVED_NUMBER = 1e15;

/** A number from 0 to MAX_SAVED_NUMBER: seconds, slot-seconds, money. */
export const measure = () => Type.Number({ minimum: 0, maximum: MAX_SAVED_NUMBER });

/** A whole number from 0. */
export const count = () => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

const Starvation = Type.Object({
  at: measure(),
  env: Type.String(),
  slots: count(),
  parents: Type.Array(Type.String()),
  children: Type.Array(Type.String()),
  reason: Type.String(),
});

const Measures = Type.Object({
  tasks: Type.Object({
    arrived: count(),
    completed: count(),
    failed: count(),
    cancelled: count(),
    failedWaiting: count(),
    unfinished: count(),
  }),
  wait: Type.Object({
    mean: measure(),
    p50: measure(),
    p90: measure(),
    p99: measure(),
    max: measure(),
  }),
  tasksByStart: Type.Object({ warm: count(), queued: count(), cold: count() }),
  coldStarts: Type.Object({ replicas: count(), environments: count() }),
  replicas: Type.Object({ peak: count(), mean: measure() }),
  replicaSeconds: Type.Object({
    starting: measure(),
    busy: measure(),
    idle: measure(),
    total: measure(),
    idleTail: measure(),
  }),
  slotSeconds: Type.Object({ busy: measure(), ready: measure() }),
  utilisation: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  meanWaiting: measure(),
  meanBusySlots: measure(),
  cost: Type.Object({
    total: measure(),
    starting: measure(),
    busy: measure(),
    idle: measure(),
    idleTail: measure(),
  }),
});

const EnvironmentMeasures = Type.Intersect([
  Type.Object({
    policy: Type.Record(Type.String(), Type.Unknown()),
    costPerReplicaHour: measure(),
    starvation: Type.Array(Starvation),
  }),
  Measures,
]);

export const SummarySchema = Type.Object({
  scenario: Type.String(),
  seed: count(),
  endSeconds: measure(),
  stalledAt: Type.Union([measure(), Type.Null()]),
  environments: Type.Record(Type.String(), EnvironmentMeasures, { minProperties: 1 }),
  total: Measures,
});

/** Fails to compile when SummarySchema and the Summary type part ways. */
export const SUMMARY_SCHEMA_IS_SUMMARY: IsSame<Static<typeof SummarySchema>, Summary> = true;
