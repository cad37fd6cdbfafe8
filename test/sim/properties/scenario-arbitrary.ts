import fc from "fast-check";
import { type DistributionSpec, makeSampler, type Sampler } from "../../../sim/distributions.js";
import { ReusePolicy } from "../../../policies/reuse-policy.js";
import type {
  ArrivalProcessSpec,
  InlineChild,
  InlineTask,
  Scenario,
  WorkloadSpec,
} from "../../../sim/scenario.js";
import { meanArrivalRate } from "../../../workloads/arrival-processes.js";

/**
 * Random but valid scenarios, kept as plain data so that fast-check can shrink them and print a
 * counterexample a reader can paste into a test. buildScenario() turns one into a Scenario.
 *
 * Workloads, in this order (their index prefixes the task ids, `w0-3`, `w1-7.2`): the inline
 * tasks (workload 0), the synthetic workloads (1 to n), and the trace with a parent column (n + 1)
 * when it has rows.
 */
export interface CaseSpec {
  seed: number;
  controlPeriodSeconds: number;
  timelineStepSeconds: number;
  /** Infinity unless a synthetic workload needs an end. */
  horizonSeconds: number;
  environments: EnvironmentCase[];
  /** Inline tasks: optional timeout, and children nested up to three levels, with tails. */
  tasks: InlineTask[];
  synthetic: SyntheticCase[];
  /** Rows of a `tasks` trace with a parent column, in file order; empty: no trace workload. */
  trace: TraceRow[];
  traceAsync: boolean;
}

export interface EnvironmentCase {
  name: string;
  policy: PolicyCase | "none";
  coldStart: DistributionSpec;
  firstTaskOverheadSeconds: number;
  dispatchOverheadSeconds: number;
  perReplicaHour: number;
}

export interface PolicyCase {
  replicas: number | [number, number];
  concurrency: number;
  idle_ttl: number;
  scaledown_ttl: number;
}

export interface SyntheticCase {
  env: string;
  arrivals: ArrivalProcessSpec;
  duration: DistributionSpec;
  /** True wherever the environment's concurrency is above 1 (the SDK's rule). */
  async: boolean;
  /** 0: no timeout. */
  timeoutSeconds: number;
  fanout?: FanoutCase;
}

export interface FanoutCase {
  env?: string;
  count: number;
  duration: DistributionSpec;
  waves: number;
  depth: number;
  tailSeconds: number;
  /** True wherever the children's environment has concurrency above 1. */
  async: boolean;
}

/** One row of the trace: a root has an arrival, a child names its parent and has none. */
export interface TraceRow {
  id: string;
  arrival?: number;
  duration: number;
  env: string;
  parent?: string;
}

const ENV_NAMES = ["a", "b", "c"];

/** Tasks a case's synthetic workloads are expected to bring, roots and children together. */
const SYNTHETIC_TASK_BUDGET = 300;

// ---------------------------------------------------------------------------------------------
// Environments.

/** Mostly small pools; now and then a large one (up to 20). */
const sizeArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 7, max: 20 }) },
);

const replicasArb: fc.Arbitrary<PolicyCase["replicas"]> = fc.oneof(
  fc.integer({ min: 1, max: 6 }),
  fc.integer({ min: 7, max: 20 }),
  fc.tuple(sizeArb, sizeArb).map(([x, y]): [number, number] => [Math.min(x, y), Math.max(1, x, y)]),
);

/** The SDK's floor of 30 s often, so that TTLs end inside short cases and near cold starts. */
const ttlArb = fc.oneof(
  fc.constantFrom(30, 31, 45, 60),
  fc.integer({ min: 30, max: 300 }),
  fc.integer({ min: 300, max: 900 }),
);

const concurrencyArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5, max: 8 }) },
);

const policyArb: fc.Arbitrary<PolicyCase> = fc.record({
  replicas: replicasArb,
  concurrency: concurrencyArb,
  idle_ttl: ttlArb,
  scaledown_ttl: ttlArb,
});

/** Every distribution a cold start can have: small ones, a zero one often, some past a TTL. */
const coldStartArb: fc.Arbitrary<DistributionSpec> = fc.oneof(
  fc.constantFrom(0, 0.5, 1, 3, 10, 45).map((value) => ({ dist: "constant" as const, value })),
  fc
    .tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(0, 1, 5, 40))
    .map(([min, extra]) => ({ dist: "uniform" as const, min, max: min + extra })),
  fc.constantFrom(0.5, 2, 10, 20).map((mean) => ({ dist: "exponential" as const, mean })),
  fc
    .tuple(fc.constantFrom(0.5, 2, 10), fc.constantFrom(1.5, 4, 12))
    .map(([median, factor]) => ({ dist: "lognormal" as const, median, p99: median * factor })),
  fc
    .tuple(fc.constantFrom(-1, 0, 1, 2.5), fc.constantFrom(0.1, 0.5, 1))
    .map(([mu, sigma]) => ({ dist: "lognormal" as const, mu, sigma })),
  fc
    .tuple(fc.constantFrom(0.5, 1, 5), fc.constantFrom(0.8, 1, 1.5, 3), fc.constantFrom(20, 120))
    .map(([scale, shape, cap]) => ({ dist: "pareto" as const, scale, shape, cap })),
  fc
    .tuple(fc.constantFrom(0.5, 2), fc.constantFrom(2.5, 4))
    .map(([scale, shape]) => ({ dist: "pareto" as const, scale, shape })),
  fc
    .array(fc.constantFrom(0, 0.2, 1, 4, 30, 90), { minLength: 1, maxLength: 5 })
    .map((samples) => ({ dist: "empirical" as const, samples })),
  fc
    .tuple(fc.constantFrom(0, 0.5), fc.constantFrom(0, 2), fc.constantFrom(1, 20), fc.nat(60))
    .map(([p0, to50, to99, to100]) => ({
      dist: "percentiles" as const,
      points: { "0": p0, "50": p0 + to50, "99": p0 + to50 + to99, "100": p0 + to50 + to99 + to100 },
    })),
);

const overheadArb = fc.constantFrom(0, 0, 0.1, 0.5, 2);

function environmentArb(name: string): fc.Arbitrary<EnvironmentCase> {
  return fc.record({
    name: fc.constant(name),
    policy: fc.oneof(
      { weight: 5, arbitrary: policyArb },
      { weight: 1, arbitrary: fc.constant("none" as const) },
    ),
    coldStart: coldStartArb,
    firstTaskOverheadSeconds: overheadArb,
    dispatchOverheadSeconds: overheadArb,
    perReplicaHour: fc.constantFrom(1, 0.25, 3.6),
  });
}

/** Exact timers often; small fractional periods; and periods longer than the shortest TTLs. */
const controlPeriodArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constantFrom(0.1, 0.25, 0.5, 0.7, 1.5, 2.5) },
  { weight: 2, arbitrary: fc.constantFrom(1, 5) },
  { weight: 2, arbitrary: fc.integer({ min: 31, max: 120 }) },
);

// ---------------------------------------------------------------------------------------------
// Tasks.

/** Whole seconds often (so that arrivals coincide), tenths otherwise. */
const instantArb = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 6000 }).map((tenths) => tenths / 10),
);

const durationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 15 }),
  fc.integer({ min: 1, max: 4000 }).map((tenths) => tenths / 10),
);

/** Children are short, so that nested runs stay small and fast. */
const shortDurationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 10 }),
  fc.integer({ min: 1, max: 300 }).map((tenths) => tenths / 10),
);

/**
 * Timeouts of every size: shorter than a cold start or a queue (they fire while waiting), than
 * the work (while running), or than a parent's children (cancelling them). Often none.
 */
const timeoutArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constantFrom(0.5, 1, 2, 5, 10, 30, 60, 120, 300) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((tenths) => tenths / 10) },
);

function inlineChildArb(envName: fc.Arbitrary<string>, levels: number): fc.Arbitrary<InlineChild> {
  const child = {
    duration: shortDurationArb,
    env: envName,
    tail: fc.constantFrom(0.5, 1, 3),
  };
  if (levels <= 1) return fc.record(child, { requiredKeys: ["duration"] });
  return fc.record(
    { ...child, children: fc.array(inlineChildArb(envName, levels - 1), { maxLength: 2 }) },
    { requiredKeys: ["duration"] },
  );
}

function inlineTaskArb(envName: fc.Arbitrary<string>): fc.Arbitrary<InlineTask> {
  const task = fc.record(
    {
      arrival: instantArb,
      duration: durationArb,
      env: envName,
      timeout: timeoutArb.filter((t) => t > 0),
      children: fc.array(inlineChildArb(envName, 3), { maxLength: 3 }),
      tail: fc.constantFrom(0, 0.5, 2),
    },
    { requiredKeys: ["arrival", "duration", "env"] },
  );
  return task;
}

const taskDurationSpecArb: fc.Arbitrary<DistributionSpec> = fc.oneof(
  fc.constantFrom(0, 1, 5).map((value) => ({ dist: "constant" as const, value })),
  fc.constantFrom(0.5, 2, 10, 60).map((mean) => ({ dist: "exponential" as const, mean })),
  fc.constantFrom(5, 30).map((max) => ({ dist: "uniform" as const, min: 0, max })),
  fc.constantFrom(1, 8).map((median) => ({ dist: "lognormal" as const, median, p99: median * 6 })),
);

/** Every arrival process, at rates that keep a case to a few hundred tasks. */
const arrivalsArb: fc.Arbitrary<ArrivalProcessSpec> = fc.oneof(
  fc.constantFrom(0.02, 0.05, 0.2, 0.5, 1).map((rate) => ({ process: "poisson" as const, rate })),
  fc
    .record({
      onRate: fc.constantFrom(0.5, 1, 3),
      offRate: fc.constantFrom(0, 0.02, 0.1),
      onSeconds: fc.constantFrom(2, 10, 30),
      offSeconds: fc.constantFrom(10, 60, 200),
    })
    .map(({ onRate, offRate, onSeconds, offSeconds }) => ({
      process: "bursty" as const,
      on: { rate: onRate, meanSojournSeconds: onSeconds },
      off: { rate: offRate, meanSojournSeconds: offSeconds },
    })),
  fc
    .record({
      rate: fc.constantFrom(0.05, 0.2, 0.5),
      amplitude: fc.constantFrom(0, 0.5, 1),
      peakAtSeconds: fc.constantFrom(0, 20, 90),
      periodSeconds: fc.constantFrom(60, 120, 600),
    })
    .map((diurnal) => ({ process: "diurnal" as const, shape: "sinusoidal" as const, ...diurnal })),
  fc
    .record({
      rates: fc.array(fc.constantFrom(0, 0.05, 0.3, 1), { minLength: 1, maxLength: 4 }),
      interpolation: fc.constantFrom("linear" as const, "step" as const),
      periodSeconds: fc.constantFrom(40, 100, 300),
    })
    .filter(({ rates }) => rates.some((rate) => rate > 0))
    .map(({ rates, interpolation, periodSeconds }) => ({
      process: "diurnal" as const,
      shape: "piecewise" as const,
      points: rates.map((rate, i) => ({ atSeconds: (i * periodSeconds) / rates.length, rate })),
      interpolation,
      periodSeconds,
    })),
  fc
    .record({
      everySeconds: fc.constantFrom(1, 5, 10, 30, 60),
      batch: fc.integer({ min: 1, max: 6 }),
      jitterShare: fc.constantFrom(0, 0, 0.1, 0.5, 1),
      offsetSeconds: fc.constantFrom(0, 0.5, 7),
    })
    .map(({ everySeconds, batch, jitterShare, offsetSeconds }) => ({
      process: "periodic" as const,
      everySeconds,
      batch,
      jitterSeconds: everySeconds * jitterShare,
      offsetSeconds,
    })),
  fc
    .record({
      fromRate: fc.constantFrom(0, 0.05, 0.5),
      toRate: fc.constantFrom(0, 0.1, 1),
      overSeconds: fc.constantFrom(10, 60, 200),
    })
    .filter(({ fromRate, toRate }) => fromRate > 0 || toRate > 0)
    .map((ramp) => ({ process: "ramp" as const, ...ramp })),
);

/** A small fanout: at most 3 children a wave, 2 waves, 2 levels. */
function fanoutArb(envName: fc.Arbitrary<string>): fc.Arbitrary<FanoutCase> {
  return fc.record(
    {
      env: envName,
      count: fc.integer({ min: 0, max: 3 }),
      duration: taskDurationSpecArb,
      waves: fc.integer({ min: 1, max: 2 }),
      depth: fc.integer({ min: 1, max: 2 }),
      tailSeconds: fc.constantFrom(0, 0, 0.5, 3),
      async: fc.boolean(),
    },
    { requiredKeys: ["count", "duration", "waves", "depth", "tailSeconds", "async"] },
  );
}

function syntheticArb(envName: fc.Arbitrary<string>): fc.Arbitrary<SyntheticCase> {
  return fc.record(
    {
      env: envName,
      arrivals: arrivalsArb,
      duration: taskDurationSpecArb,
      async: fc.boolean(),
      timeoutSeconds: timeoutArb,
      fanout: fanoutArb(envName),
    },
    { requiredKeys: ["env", "arrivals", "duration", "async", "timeoutSeconds"] },
  );
}

/** A tree of trace rows under one root; `placement` says where its children go in the file. */
interface TraceTree {
  arrival: number;
  duration: number;
  env: string;
  children: InlineChild[];
  placement: "after" | "before" | "end";
}

function traceTreeArb(envName: fc.Arbitrary<string>): fc.Arbitrary<TraceTree> {
  return fc.record({
    arrival: instantArb,
    duration: durationArb,
    env: envName,
    children: fc.array(inlineChildArb(envName, 2), { maxLength: 3 }),
    placement: fc.constantFrom("after" as const, "before" as const, "end" as const),
  });
}

/** The rows of the trees, roots in arrival order, children before, after or below them all. */
function traceRows(trees: TraceTree[]): TraceRow[] {
  const rows: TraceRow[] = [];
  const atEnd: TraceRow[] = [];
  const sorted = trees
    .map((tree, i) => ({ tree, i }))
    .sort((x, y) => x.tree.arrival - y.tree.arrival);
  for (const { tree, i } of sorted) {
    const id = `t${i + 1}`;
    const descendants: TraceRow[] = [];
    const add = (children: readonly InlineChild[], parent: string, parentEnv: string): void => {
      children.forEach((child, k) => {
        const childId = `${parent}.${k + 1}`;
        const env = child.env ?? parentEnv;
        descendants.push({ id: childId, duration: child.duration, env, parent });
        add(child.children ?? [], childId, env);
      });
    };
    add(tree.children, id, tree.env);
    const root: TraceRow = { id, arrival: tree.arrival, duration: tree.duration, env: tree.env };
    if (tree.placement === "before") rows.push(...descendants, root);
    else if (tree.placement === "after") rows.push(root, ...descendants);
    else {
      rows.push(root);
      atEnd.push(...descendants);
    }
  }
  return [...rows, ...atEnd];
}

// ---------------------------------------------------------------------------------------------
// The whole case.

/** Environment `a` with one slot in all, and parents there whose children queue behind them. */
const starvingArb = fc.record({
  env: fc.record({
    name: fc.constant("a"),
    policy: fc.record({
      replicas: fc.constantFrom<PolicyCase["replicas"]>(1, [0, 1], [1, 1]),
      concurrency: fc.constant(1),
      idle_ttl: ttlArb,
      scaledown_ttl: ttlArb,
    }),
    coldStart: coldStartArb,
    firstTaskOverheadSeconds: overheadArb,
    dispatchOverheadSeconds: overheadArb,
    perReplicaHour: fc.constant(1),
  }),
  tasks: fc.array(
    fc.record(
      {
        arrival: instantArb,
        duration: shortDurationArb,
        env: fc.constant("a"),
        timeout: timeoutArb.filter((t) => t > 0),
        children: fc.array(inlineChildArb(fc.constant("a"), 2), { minLength: 1, maxLength: 3 }),
        tail: fc.constantFrom(0, 1),
      },
      { requiredKeys: ["arrival", "duration", "env", "children"] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

/**
 * One to three environments and their workloads. One case in six starves: environment `a` gets
 * one replica with one slot and inline parents whose children queue there, with and without
 * timeouts (without, the run stalls and must still end).
 */
export const caseArb: fc.Arbitrary<CaseSpec> = fc
  .integer({ min: 1, max: 3 })
  .chain((count) => {
    const names = ENV_NAMES.slice(0, count);
    const envName = fc.constantFrom(...names);
    return fc.record({
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      controlPeriodSeconds: controlPeriodArb,
      timelineStepSeconds: fc.constantFrom(7, 60),
      horizon: fc.integer({ min: 30, max: 300 }),
      environments: fc.tuple(...names.map(environmentArb)),
      tasks: fc.array(inlineTaskArb(envName), { maxLength: 30 }),
      synthetic: fc.array(syntheticArb(envName), { maxLength: 2 }),
      trace: fc.oneof(
        { weight: 3, arbitrary: fc.constant<TraceTree[]>([]) },
        { weight: 1, arbitrary: fc.array(traceTreeArb(envName), { minLength: 1, maxLength: 8 }) },
      ),
      traceAsync: fc.boolean(),
      starving: fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: starvingArb },
      ),
    });
  })
  .map(({ horizon, environments, tasks, synthetic, trace, traceAsync, starving, ...rest }) => {
    const envs = starving === null ? environments : [starving.env, ...environments.slice(1)];
    const concurrencyOf = (name: string): number => {
      const policy = envs.find((e) => e.name === name)?.policy;
      return policy === undefined || policy === "none" ? 1 : policy.concurrency;
    };
    const declared = synthetic.map((s) => declare(s, concurrencyOf));
    const rows = traceRows(trace);
    return {
      ...rest,
      horizonSeconds: declared.length > 0 ? fitHorizon(horizon, declared) : Infinity,
      environments: envs,
      tasks: starving === null ? tasks : [...starving.tasks, ...tasks],
      synthetic: declared,
      trace: rows,
      traceAsync: traceAsync || rows.some((row) => concurrencyOf(row.env) > 1),
    };
  });

/** The SDK's rule: a workload (or fanout) on an environment with concurrency above 1 is async. */
function declare(s: SyntheticCase, concurrencyOf: (env: string) => number): SyntheticCase {
  const declared = { ...s, async: s.async || concurrencyOf(s.env) > 1 };
  if (s.fanout === undefined) return declared;
  const childEnv = s.fanout.env ?? s.env;
  return {
    ...declared,
    fanout: { ...s.fanout, async: s.fanout.async || concurrencyOf(childEnv) > 1 },
  };
}

/** Tasks per root of a synthetic workload: the root and its children at every level. */
export function tasksPerRoot(s: SyntheticCase): number {
  if (s.fanout === undefined) return 1;
  const perParent = s.fanout.count * s.fanout.waves;
  let total = 1;
  let level = 1;
  for (let i = 0; i < s.fanout.depth; i++) total += level *= perParent;
  return total;
}

/** The horizon, shortened so that the synthetic workloads bring about the budget at most. */
function fitHorizon(horizon: number, synthetic: SyntheticCase[]): number {
  const perSecond = synthetic.reduce((sum, s) => sum + peakRate(s.arrivals) * tasksPerRoot(s), 0);
  return Math.max(1, Math.min(horizon, Math.floor(SYNTHETIC_TASK_BUDGET / perSecond)));
}

/** A rate no process exceeds for long: its mean, or its peak when that is higher. */
function peakRate(arrivals: ArrivalProcessSpec): number {
  switch (arrivals.process) {
    case "bursty":
      return Math.max(arrivals.on.rate, arrivals.off.rate);
    case "ramp":
      return Math.max(arrivals.fromRate, arrivals.toRate);
    default:
      return meanArrivalRate(arrivals) * 2;
  }
}

// ---------------------------------------------------------------------------------------------
// From a case to a Scenario.

/** Cold-start draws of each environment, in the order the engine asked for them. */
export type ColdStartDraws = Map<string, number[]>;

/**
 * The Scenario of a case; every cold-start draw is recorded into `draws`. `tracePath` is where
 * the case's trace rows have been written (see writeTraceRows), when it has any.
 */
export function buildScenario(
  spec: CaseSpec,
  draws: ColdStartDraws = new Map(),
  tracePath?: string,
): Scenario {
  const environments = spec.environments.map((e) => {
    const recorded: number[] = [];
    draws.set(e.name, recorded);
    return {
      name: e.name,
      policy: e.policy === "none" ? ("none" as const) : new ReusePolicy(e.policy),
      coldStart: recording(makeSampler(e.coldStart, `${e.name}.coldStart`), recorded),
      firstTaskOverheadSeconds: e.firstTaskOverheadSeconds,
      dispatchOverheadSeconds: e.dispatchOverheadSeconds,
      cost: { perReplicaHour: e.perReplicaHour },
    };
  });

  const workloads: WorkloadSpec[] = [{ kind: "inline", tasks: spec.tasks }];
  for (const s of spec.synthetic) {
    workloads.push({
      kind: "synthetic",
      env: s.env,
      arrivals: s.arrivals,
      duration: makeSampler(s.duration, "duration"),
      async: s.async,
      timeoutSeconds: s.timeoutSeconds,
      ...(s.fanout === undefined
        ? {}
        : {
            fanout: {
              ...(s.fanout.env === undefined ? {} : { env: s.fanout.env }),
              count: s.fanout.count,
              duration: makeSampler(s.fanout.duration, "fanout.duration"),
              waves: s.fanout.waves,
              depth: s.fanout.depth,
              tailSeconds: s.fanout.tailSeconds,
              async: s.fanout.async,
            },
          }),
    });
  }
  if (spec.trace.length > 0) {
    if (tracePath === undefined) throw new Error("a case with trace rows needs their file");
    workloads.push({ kind: "trace", path: tracePath, format: "tasks", async: spec.traceAsync });
  }

  return {
    name: "property",
    seed: spec.seed,
    horizonSeconds: spec.horizonSeconds,
    controlPeriodSeconds: spec.controlPeriodSeconds,
    timelineStepSeconds: spec.timelineStepSeconds,
    environments,
    workloads,
    baseDir: ".",
  };
}

/** The trace rows as the `tasks` format's CSV: a root has no parent, a child no arrival. */
export function traceCsv(rows: readonly TraceRow[]): string {
  const lines = rows.map((row) =>
    [row.id, row.arrival ?? "", row.duration, row.env, row.parent ?? ""].join(","),
  );
  return ["id,arrival,duration,env,parent", ...lines].join("\n") + "\n";
}

function recording(sampler: Sampler, into: number[]): Sampler {
  return {
    ...sampler,
    sample: (rng) => {
      const value = sampler.sample(rng);
      into.push(value);
      return value;
    },
  };
}
