import { type Static, Type } from "@sinclair/typebox";

import type { ScenarioDescription } from "./scenario-description.js";
import { MEMORY_STATS, type MemoryStat } from "./scenario.js";
import { MAX_RATE } from "./scenario-schema.js";
import type { IsSame, Writable } from "./same-type.js";
import { count, MAX_SAVED_NUMBER, measure } from "./summary-schema.js";

/**
 * scenario.json as `reuse-sim run --out` writes it, as a JSON Schema, which `reuse-sim report`
 * checks a saved run against before drawing anything. The ScenarioDescription type
 * (sim/scenario-description.ts) is the source of truth: the compiler rejects this schema when
 * the two part ways. Numbers are bounded as in summary.json (sim/summary-schema.ts).
 */

const rate = () => Type.Number({ minimum: 0, maximum: MAX_RATE });

/** A length of time that something is divided by: more than 0. */
const span = () => Type.Number({ exclusiveMinimum: 0, maximum: MAX_SAVED_NUMBER });

const Distribution = Type.Object({
  spec: Type.Unsafe<object>({ type: "object" }),
  text: Type.String(),
});

const Policy = Type.Union([
  Type.Literal("none"),
  Type.Object({
    replicas: Type.Tuple([count(), count()]),
    idle_ttl: measure(),
    concurrency: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    scaledown_ttl: measure(),
  }),
]);

const EnvironmentSettings = {
  policy: Policy,
  coldStart: Distribution,
  firstTaskOverheadSeconds: measure(),
  dispatchOverheadSeconds: measure(),
  cost: Type.Object({ perReplicaHour: measure(), perGbHour: Type.Optional(measure()) }),
};

const Environment = Type.Object({ name: Type.String(), ...EnvironmentSettings });

const EnvironmentTemplate = Type.Object({ match: Type.String(), ...EnvironmentSettings });

const BurstyState = Type.Object({ rate: rate(), meanSojournSeconds: span() });

const Arrivals = Type.Union([
  Type.Object({ process: Type.Literal("poisson"), rate: rate() }),
  Type.Object({ process: Type.Literal("bursty"), on: BurstyState, off: BurstyState }),
  Type.Object({
    process: Type.Literal("diurnal"),
    shape: Type.Literal("sinusoidal"),
    rate: rate(),
    amplitude: Type.Number({ minimum: 0, maximum: 1 }),
    peakAtSeconds: measure(),
    periodSeconds: span(),
  }),
  Type.Object({
    process: Type.Literal("diurnal"),
    shape: Type.Literal("piecewise"),
    points: Type.Array(Type.Object({ atSeconds: measure(), rate: rate() }), { minItems: 1 }),
    interpolation: Type.Union([Type.Literal("linear"), Type.Literal("step")]),
    periodSeconds: span(),
  }),
  Type.Object({
    process: Type.Literal("periodic"),
    everySeconds: span(),
    batch: count(),
    jitterSeconds: measure(),
    offsetSeconds: measure(),
  }),
  Type.Object({
    process: Type.Literal("ramp"),
    fromRate: rate(),
    toRate: rate(),
    overSeconds: measure(),
  }),
]);

const Fanout = Type.Object({
  env: Type.String(),
  count: count(),
  waves: count(),
  depth: count(),
  duration: Distribution,
  tailSeconds: measure(),
  async: Type.Boolean(),
});

const SyntheticWorkload = Type.Object({
  kind: Type.Literal("synthetic"),
  env: Type.String(),
  arrivals: Arrivals,
  duration: Distribution,
  async: Type.Boolean(),
  timeoutSeconds: Type.Optional(measure()),
  fanout: Type.Optional(Fanout),
  stream: Type.Optional(Type.String()),
});

const TraceWorkload = Type.Object({
  kind: Type.Literal("trace"),
  path: Type.String(),
  env: Type.Union([Type.String(), Type.Null()]),
  async: Type.Boolean(),
  format: Type.Union([Type.Literal("tasks"), Type.Literal("azure2019"), Type.Literal("azure2021")]),
  timeoutSeconds: Type.Optional(measure()),
  skipBadRows: Type.Optional(Type.Boolean()),
  mapping: Type.Optional(
    Type.Object({
      by: Type.Union([Type.Literal("function"), Type.Literal("app"), Type.Literal("all")]),
      hashPrefix: Type.Optional(count()),
      aliases: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
  top: Type.Optional(count()),
  fromSeconds: Type.Optional(measure()),
  toSeconds: Type.Optional(measure()),
  load: Type.Optional(measure()),
  durationsPath: Type.Optional(Type.String()),
  memoryPath: Type.Optional(Type.String()),
  spread: Type.Optional(
    Type.Union([Type.Literal("uniform"), Type.Literal("poisson"), Type.Literal("even")]),
  ),
  memoryStat: Type.Optional(Type.Unsafe<MemoryStat>({ type: "string", enum: [...MEMORY_STATS] })),
  sortLimit: Type.Optional(count()),
});

const InlineWorkload = Type.Object({
  kind: Type.Literal("inline"),
  tasks: count(),
  envs: Type.Array(Type.String()),
});

export const ScenarioDescriptionSchema = Type.Object({
  name: Type.String(),
  seed: count(),
  horizonSeconds: Type.Union([measure(), Type.Null()]),
  controlPeriodSeconds: measure(),
  timelineStepSeconds: span(),
  environments: Type.Array(Environment, { minItems: 1 }),
  environmentTemplates: Type.Optional(Type.Array(EnvironmentTemplate)),
  workloads: Type.Array(Type.Union([SyntheticWorkload, TraceWorkload, InlineWorkload])),
});

/** Fails to compile when ScenarioDescriptionSchema and the ScenarioDescription type part ways. */
export const SCENARIO_DESCRIPTION_SCHEMA_IS_DESCRIPTION: IsSame<
  Static<typeof ScenarioDescriptionSchema>,
  Writable<ScenarioDescription>
> = true;
