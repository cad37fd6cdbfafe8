import { Type, type Static } from "@sinclair/typebox";

import { MEMORY_STATS } from "./scenario.js";

/**
 * The scenario file as a user writes it (YAML or JSON), as a JSON Schema. The loader validates
 * against it, and `scenarios/scenario.schema.json` (written from it by `npm run schema`) lets an
 * editor check and complete a scenario as it is typed.
 *
 * The schema checks shapes and types only. What a value means (a duration's syntax, a
 * distribution's parameters, a policy's rules) is checked where it is resolved, by
 * parseDuration, makeSampler and ReusePolicy, so each rule and its message live in one place.
 * Every object is closed (`additionalProperties: false`): a misspelt key is an error, never a
 * silently ignored setting.
 */

/** The `dist` names makeSampler knows; it checks each one's parameters itself. */
export const DISTRIBUTION_NAMES = [
  "constant",
  "uniform",
  "exponential",
  "lognormal",
  "empirical",
  "pareto",
  "percentiles",
] as const;

export type DistributionName = (typeof DISTRIBUTION_NAMES)[number];

const DURATION_FORMS =
  'a number of seconds, or a string such as "50ms", "90s", "5m", "2h", "1h30m" or ISO-8601 "PT5M"';

const closed = { additionalProperties: false } as const;

/** One of a fixed set of words, typed as their union. */
function choice<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], description });
}

function duration(description: string, options: object = {}) {
  return Type.Union(
    [Type.Number({ title: "number of seconds" }), Type.String({ title: "duration string" })],
    { ...options, description: `${description} A duration: ${DURATION_FORMS}.` },
  );
}

function distribution(description: string, options: object = {}) {
  return Type.Object(
    {
      dist: choice(DISTRIBUTION_NAMES, "Which distribution; the other keys are its parameters."),
      value: Type.Optional(duration("constant: the one value every draw takes.")),
      min: Type.Optional(duration("uniform: the lowest value.")),
      max: Type.Optional(duration("uniform: the highest value.")),
      mean: Type.Optional(duration("exponential: the mean.")),
      median: Type.Optional(duration("lognormal: the median (given with p99).")),
      p99: Type.Optional(duration("lognormal: the 99th percentile (given with median).")),
      mu: Type.Optional(
        Type.Number({ description: "lognormal: mean of ln(seconds) (given with sigma)." }),
      ),
      sigma: Type.Optional(
        Type.Number({ description: "lognormal: standard deviation of ln(seconds) (with mu)." }),
      ),
      samples: Type.Optional(
        Type.Array(duration("One observed value."), {
          description: "empirical: observed values; each draw picks one of them at random.",
        }),
      ),
      scale: Type.Optional(duration("pareto: the scale, the smallest value.")),
      shape: Type.Optional(
        Type.Number({
          description:
            "pareto: the shape (tail index); smaller is heavier. A shape <= 1 needs a cap (its " +
            "mean is infinite).",
        }),
      ),
      cap: Type.Optional(
        duration("pareto: draws above the cap become the cap; required when shape <= 1."),
      ),
      points: Type.Optional(
        Type.Record(Type.String(), duration("The value at this percentile."), {
          description:
            "percentiles: percentile (0 to 100, both ends given) -> value, interpolated " +
            "linearly between points, e.g. {0: 1s, 50: 2s, 99: 30s, 100: 2m}.",
        }),
      ),
    },
    { title: "distribution", description, ...options, ...closed },
  );
}

const Policy = Type.Union(
  [
    Type.Literal("none", {
      description: "No reuse: every task gets a fresh container (the baseline).",
    }),
    Type.Object(
      {
        replicas: Type.Optional(
          Type.Union(
            [
              Type.Number({ title: "replica count" }),
              Type.Array(Type.Number(), { title: "[min, max] pair" }),
            ],
            {
              description:
                "A fixed pool of n replicas, or [min, max] to autoscale between min and max. " +
                "Default 2.",
            },
          ),
        ),
        idle_ttl: Type.Optional(
          duration(
            "The whole environment shuts down after it has been idle this long, min " +
              "included. At least 30s. Default 30s.",
          ),
        ),
        concurrency: Type.Optional(
          Type.Number({
            description: "Task slots per replica; above 1 only for async tasks. Default 1.",
          }),
        ),
        scaledown_ttl: Type.Optional(
          duration(
            "An idle replica above min is removed after this long. At least 30s. Default 30s.",
          ),
        ),
      },
      { title: "policy object", description: "A Flyte 2 ReusePolicy.", ...closed },
    ),
  ],
  {
    description:
      'The environment\'s ReusePolicy: {replicas, idle_ttl, concurrency, scaledown_ttl}, or "none" ' +
      "for the no-reuse baseline.",
  },
);

const Environment = Type.Object(
  {
    policy: Type.Optional(Policy),
    coldStart: Type.Optional(
      distribution(
        "How long a replica takes from pod request to ready. Optional, default " +
          "{dist: constant, value: 0} (no cold start).",
        { default: { dist: "constant", value: 0 } },
      ),
    ),
    firstTaskOverhead: Type.Optional(
      duration("Extra time the first task on a fresh replica pays (code download). Default 0.", {
        default: 0,
      }),
    ),
    dispatchOverhead: Type.Optional(
      duration("Time to hand each task to a ready replica. Default 0.", { default: 0 }),
    ),
    cost: Type.Optional(
      Type.Object(
        {
          perReplicaHour: Type.Optional(
            Type.Number({
              minimum: 0,
              description:
                "Price of one replica for one hour, starting and idle time included. Default 0.",
            }),
          ),
          perGbHour: Type.Optional(
            Type.Number({
              minimum: 0,
              description:
                "Price of one GB (1024 MB) of replica memory for one hour, added to perReplicaHour for " +
                "environments whose memory a trace records (azure2019 memory.csv). Default 0.",
            }),
          ),
        },
        { description: "What replicas cost. Default: free.", ...closed },
      ),
    ),
  },
  {
    title: "environment",
    description:
      "One environment: a pool of replicas. policy is required, except in an entry that a " +
      "`default` entry completes.",
    ...closed,
  },
);

/** The arrival processes; the loader checks which keys each one takes. */
export const ARRIVAL_PROCESSES = ["poisson", "bursty", "diurnal", "periodic", "ramp"] as const;

/** Above one task a microsecond, arrivals would pile up on one tick of the clock. */
export const MAX_RATE = 1e6;

/** The largest trace load factor: each row is copied up to this many times as it is read. */
export const MAX_LOAD = 1000;

const rate = (description: string) =>
  Type.Number({
    minimum: 0,
    maximum: MAX_RATE,
    description: `${description} Tasks per second, at most ${MAX_RATE}.`,
  });

const BurstyState = (name: string) =>
  Type.Object(
    {
      rate: rate(`bursty: the rate while ${name}.`),
      meanSojourn: duration(`bursty: the mean length of a stay ${name} (exponential).`),
    },
    { title: `${name} state`, description: `bursty: the ${name} state.`, ...closed },
  );

const Arrivals = Type.Object(
  {
    process: choice(
      ARRIVAL_PROCESSES,
      "poisson (rate); bursty (on, off: a two-state Markov-modulated Poisson process); " +
        "diurnal (rate, amplitude, peakAt, or profile: a daily rate, by thinning); periodic " +
        "(every, batch, jitter, offset: cron-like batches); ramp (from, to, over).",
    ),
    rate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: MAX_RATE,
        description:
          "poisson: the rate. diurnal: the mean rate of the sinusoid. Tasks per second, > 0 " +
          `and at most ${MAX_RATE}.`,
      }),
    ),
    on: Type.Optional(BurstyState("on")),
    off: Type.Optional(BurstyState("off")),
    amplitude: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: "diurnal: the swing, a share of the mean rate (0 to 1).",
      }),
    ),
    peakAt: Type.Optional(duration("diurnal: the time of day of the peak. Default 0.")),
    period: Type.Optional(duration("diurnal: the length of the cycle. Default 24h.")),
    profile: Type.Optional(
      Type.Record(Type.String(), rate("The rate from this time of day."), {
        description:
          "diurnal: time of day -> rate, e.g. {0h: 2, 8h: 20, 18h: 5}; wraps from the last " +
          "point to the first.",
      }),
    ),
    interpolation: Type.Optional(
      choice(["linear", "step"], "diurnal profile: linear between points (default), or step."),
    ),
    every: Type.Optional(
      duration(
        "periodic: the interval between batches; at least 1 microsecond, and batch / every " +
          `at most ${MAX_RATE} tasks per second.`,
      ),
    ),
    batch: Type.Optional(
      Type.Integer({ minimum: 1, description: "periodic: tasks per batch. Default 1." }),
    ),
    jitter: Type.Optional(
      duration("periodic: each task arrives up to this long after its tick. Default 0."),
    ),
    offset: Type.Optional(duration("periodic: the first tick. Default 0.")),
    from: Type.Optional(rate("ramp: the rate at time 0.")),
    to: Type.Optional(rate("ramp: the rate at the end of the ramp, held after it.")),
    over: Type.Optional(duration("ramp: the length of the ramp.")),
  },
  { title: "arrival process", description: "When tasks arrive.", ...closed },
);

type ArrivalKey = Exclude<keyof Static<typeof Arrivals>, "process">;

/**
 * The keys each arrival process takes besides `process`, required first, then optional. The
 * schema allows every process's keys on every process: the loader checks them against these,
 * and a misspelt key is matched against these only.
 */
export const ARRIVAL_KEYS: Record<
  (typeof ARRIVAL_PROCESSES)[number],
  { required: readonly ArrivalKey[]; optional: readonly ArrivalKey[] }
> = {
  poisson: { required: ["rate"], optional: [] },
  bursty: { required: ["on", "off"], optional: [] },
  diurnal: {
    required: [],
    optional: ["rate", "amplitude", "peakAt", "period", "profile", "interpolation"],
  },
  periodic: { required: ["every"], optional: ["batch", "jitter", "offset"] },
  ramp: { required: ["from", "to", "over"], optional: [] },
};

const asyncFlag = Type.Optional(
  Type.Boolean({
    default: false,
    description: "Whether the tasks are async (may share a replica when concurrency > 1).",
  }),
);

const Fanout = Type.Object(
  {
    env: Type.Optional(
      Type.String({ description: "Environment of the children. Default: the parent's." }),
    ),
    count: Type.Integer({ minimum: 0, description: "Children launched in each wave." }),
    duration: distribution("How long each child runs once placed."),
    waves: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 1,
        description: "Waves of children; each is launched when the previous one has ended.",
      }),
    ),
    depth: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 1,
        description: "Nesting: 2 means every child fans out the same way once more, and so on.",
      }),
    ),
    tail: Type.Optional(
      duration("The parent's own work after its last child has ended. Default 0."),
    ),
    async: Type.Optional(
      Type.Boolean({ description: "Whether the children are async. Default: as the parent." }),
    ),
  },
  {
    title: "fanout",
    description:
      "Each task is a parent: after its own work (its duration, the setup) it launches children " +
      "and waits for them, holding its slot, then runs its tail.",
    ...closed,
  },
);

const timeout = Type.Optional(
  duration(
    "A task (or child) still waiting or running this long after it arrived fails; the " +
      "children of a failed parent are cancelled. Default: no timeout.",
  ),
);

const SyntheticWorkload = Type.Object(
  {
    env: Type.String({ description: "Name of the environment the tasks run in." }),
    arrivals: Arrivals,
    duration: distribution("How long each task runs once placed."),
    async: asyncFlag,
    timeout,
    fanout: Type.Optional(Fanout),
    stream: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "Name of the workload's random streams. Workloads with the same stream name (and the " +
          "same arrival process and distributions) draw identical tasks: use it to compare " +
          "environments side by side on one load. Default: the workload's position.",
      }),
    ),
  },
  { title: "synthetic workload", description: "Tasks drawn at random.", ...closed },
);

export const TRACE_FORMATS = ["tasks", "azure2019", "azure2021"] as const;

const TraceFile = Type.Object(
  {
    path: Type.String({
      description:
        "The trace file (azure2019: invocations.csv, or the folder holding it), relative to " +
        "the scenario's folder; ${VAR} is replaced from the given variables (--var, --trace) " +
        "or the process environment.",
    }),
    format: choice(
      TRACE_FORMATS,
      "tasks: one row per task, arrival,duration[,env,id,parent,tail], CSV or JSON Lines " +
        "(.jsonl); " +
        "azure2021: app,func,end_timestamp,duration; azure2019: per-minute invocation counts " +
        "with durations.csv (and memory.csv).",
    ),
    durations: Type.Optional(
      Type.String({
        description: "azure2019: the durations file. Default: beside the invocations file.",
      }),
    ),
    memory: Type.Optional(
      Type.String({
        description: "azure2019: the memory file. Default: beside the invocations file, if any.",
      }),
    ),
    spread: Type.Optional(
      choice(
        ["uniform", "poisson", "even"],
        "azure2019: how a minute's invocations spread inside it: uniform (default; the " +
          "count kept), poisson (a Poisson process at the minute's rate; the count varies), " +
          "even (equal gaps).",
      ),
    ),
    memoryStat: Type.Optional(
      choice(MEMORY_STATS, "azure2019: which memory.csv column sizes a replica. Default average."),
    ),
    sortLimit: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "azure2021: most rows sorted by start in memory (about 32 bytes a row at the peak). " +
          "Default 20000000.",
      }),
    ),
  },
  {
    title: "trace file",
    description: "Where the recorded tasks are, and how to read them.",
    ...closed,
  },
);

const Mapping = Type.Object(
  {
    by: Type.Optional(
      choice(
        ["function", "app", "all"],
        "One environment per function (default; a tasks trace: per its env column), per app " +
          '(Azure\'s unit of allocation), or all in one (named by env, default "all").',
      ),
    ),
    hashPrefix: Type.Optional(
      Type.Integer({
        minimum: 4,
        maximum: 64,
        description: "Hex digits of a hash kept in a generated name. Default 8.",
      }),
    ),
    aliases: Type.Optional(
      Type.Record(Type.String(), Type.String({ minLength: 1 }), {
        description: "Hash (or a prefix of it) -> the environment's name, e.g. {47658c9c: api}.",
      }),
    ),
  },
  {
    title: "mapping",
    description:
      "How trace rows become environments; names are a hash prefix plus the trigger " +
      "(47658c9c-http), app-<prefix>, or an alias.",
    ...closed,
  },
);

const TraceWorkload = Type.Object(
  {
    trace: TraceFile,
    env: Type.Optional(
      Type.String({
        description:
          "tasks: environment of the rows of a file that has no env column. With mapping by " +
          "all: the one environment's name.",
      }),
    ),
    async: asyncFlag,
    timeout,
    mapping: Type.Optional(Mapping),
    top: Type.Optional(
      Type.Integer({ minimum: 1, description: "Keep only the N busiest functions." }),
    ),
    from: Type.Optional(duration("Replay from this time of the trace on; it becomes time 0.")),
    to: Type.Optional(duration("Replay up to (not including) this time of the trace.")),
    load: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: MAX_LOAD,
        description:
          "Arrival-rate factor, seeded: 2 doubles the arrivals, 0.5 keeps about half. Default 1.",
      }),
    ),
    skipBadRows: Type.Optional(
      Type.Boolean({
        description:
          "Skip a bad row with a warning (counted at the end) instead of stopping. Default false.",
      }),
    ),
  },
  { title: "trace workload", description: "Tasks replayed from a recorded file.", ...closed },
);

/*
 * The `trace` key decides which kind a workload is, so a mistake is reported against the kind
 * the user meant instead of against both. The static type stays a plain union.
 */
const Workload = Type.Unsafe<Static<typeof SyntheticWorkload> | Static<typeof TraceWorkload>>({
  type: "object",
  title: "workload",
  description: "A synthetic workload (env, arrivals, duration) or, with a `trace` key, a trace.",
  if: { required: ["trace"] },
  then: TraceWorkload,
  else: SyntheticWorkload,
});

export const ScenarioFileSchema = Type.Object(
  {
    $schema: Type.Optional(
      Type.String({ description: "The JSON Schema an editor checks this file against." }),
    ),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Name shown in reports. Default: the file name without its extension.",
      }),
    ),
    seed: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        default: 1,
        description: "Seed of every random stream; the same seed gives the same run. Default 1.",
      }),
    ),
    horizon: Type.Optional(
      duration("Arrivals stop here. Required unless every workload is a trace."),
    ),
    controlPeriod: Type.Optional(
      duration("How often the controller scales and removes replicas; 0 = exact timers.", {
        default: "5s",
      }),
    ),
    timelineStep: Type.Optional(
      duration(
        "Step of the timeline. Default: a round step giving at most about 720 rows per " +
          "environment over the horizon (at least 1s); 1m when there is no horizon.",
      ),
    ),
    environments: Type.Record(Type.String(), Environment, {
      minProperties: 1,
      description:
        "The environments, by name. The entry `default` is a template, not an environment: a " +
        "workload's environment that is not named here (a trace's functions) is created from " +
        "it. A name with * or ? is a pattern: the environments it matches get the default " +
        "completed by the pattern's keys (first matching pattern wins). A named entry is also " +
        "completed by the default.",
    }),
    workloads: Type.Array(Workload, {
      minItems: 1,
      description: "Where tasks come from.",
    }),
  },
  {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "reuse-sim scenario",
    description: "A reuse-sim scenario: environments with their policies, and their workloads.",
    ...closed,
  },
);

/** A scenario file as parsed, before any value in it is resolved. */
export type ScenarioFile = Static<typeof ScenarioFileSchema>;
export type EnvironmentFile = ScenarioFile["environments"][string];
export type WorkloadFile = ScenarioFile["workloads"][number];
export type SyntheticWorkloadFile = Static<typeof SyntheticWorkload>;
export type TraceWorkloadFile = Static<typeof TraceWorkload>;

/** The schema as committed in scenarios/scenario.schema.json. */
export function scenarioSchemaText(): string {
  return JSON.stringify(ScenarioFileSchema, null, 2) + "\n";
}
