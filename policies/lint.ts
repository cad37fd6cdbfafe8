import { formatDuration } from "../sim/duration.js";
import { entrySlots } from "../sim/load-environments.js";
import type { EnvironmentSpec, Scenario, SyntheticWorkloadSpec } from "../sim/scenario.js";
import type { ScenarioFile } from "../sim/scenario-schema.js";
import { type FieldPath, formatPath } from "../sim/scenario-source.js";
import { meanArrivalRate } from "../workloads/arrival-processes.js";
import { checkReusePolicy } from "./reuse-policy.js";

/**
 * The policy linter: what a scenario's policies will do wrong, said before a run. Rules on the
 * file as written (policy fields the Flyte SDK would reject, or would silently accept although
 * they misbehave; sync tasks on concurrency > 1) and rules on the resolved scenario (scale-down
 * that never acts, a min that idle_ttl makes pointless, parents that can starve their children).
 */
export interface LintFinding {
  level: "error" | "warning";
  rule: LintRule;
  /** Dotted path of the field at fault, e.g. `environments.api.policy.replicas`. */
  field: string;
  /** Machine-readable path of the same field, for positions in the file. */
  path: FieldPath;
  message: string;
  /** For policy fields: whether the real Flyte SDK would have let this through. */
  sdkAccepts?: boolean;
}

export type LintRule =
  | "policy"
  | "sync-concurrency"
  | "scaledown-never-acts"
  | "min-pointless"
  | "overload"
  | "control-period"
  | "starvation-risk";

/** How far the parents of one root task are counted. */
const PARENTS_COUNTED = 1e6;

/** Above this chance that a gap outlasts idle_ttl, a min is called pointless. */
const POINTLESS_MIN_GAP_PROBABILITY = 0.5;

const REMEDIES =
  "remedies: more replicas, higher concurrency with async tasks, or the parent in a " +
  "non-reusable environment (policy: none) or another environment";

export const lintMessages = {
  sdkAccepts: " (the Flyte SDK accepts this silently; it would misbehave in production)",
  syncConcurrency: (env: string, concurrency: number) =>
    `sync tasks (async: false) in environment "${env}", whose concurrency is ${concurrency}: ` +
    "only async tasks can share a replica; the Flyte SDK rejects this when the task is declared",
  syncConcurrencyTemplate: (entry: string, concurrency: number) =>
    `a trace of sync tasks (async: false) into the environments that "${entry}" creates, whose ` +
    `concurrency is ${concurrency}: only async tasks can share a replica; the Flyte SDK rejects ` +
    "this when the task is declared",
  scaledownNeverActs: (idle: number, scaledown: number) =>
    `idle_ttl (${formatDuration(idle)}) <= scaledown_ttl (${formatDuration(scaledown)}): once ` +
    "the environment goes quiet it is torn down whole before any idle replica reaches " +
    "scaledown_ttl, so scale-down never acts then (only on replicas left idle while others are " +
    "busy); make idle_ttl longer than scaledown_ttl for a pool that shrinks before it vanishes",
  minPointless: (min: number, rate: number, idle: number, probability: number) =>
    `min ${min} replicas buys little: at ${rate} tasks/s, ${(probability * 100).toFixed(0)}% of ` +
    `the gaps between tasks are longer than idle_ttl (${formatDuration(idle)}), so the ` +
    "environment is usually torn down (regardless of min) before the next task and cold-starts " +
    "again; lengthen idle_ttl or drop min to 0",
  controlPeriod: (period: number, env: string, ttlName: string, ttl: number) =>
    `controlPeriod (${formatDuration(period)}) is longer than the ${ttlName} of environment ` +
    `"${env}" (${formatDuration(ttl)}): removals happen only on a control tick, so its idle ` +
    `replicas live up to ${formatDuration(period)} past their TTL and cost that much more; the ` +
    "real controller ticks every 5 s",
  overload: (env: string, busy: number, slots: number) =>
    `the workloads of environment "${env}" keep ${formatCount(busy)} slots busy on average ` +
    `(arrival rate x mean task time), and it has ${plural(slots, "slot")} at most (max replicas ` +
    "x concurrency): the queue grows for as long as tasks arrive and waits grow with it; raise " +
    "max replicas or concurrency, or lower the load",
  starvationCertain: (env: string, slots: number, parentsPerRoot: number) =>
    `one root task alone has ${plural(parentsPerRoot, "parent")} waiting for children in ` +
    `environment "${env}", which has ${plural(slots, "slot")} (max replicas x concurrency): ` +
    (slots === 1
      ? "the parent holds it and its children"
      : "the parents hold every slot and their children") +
    ` can never run (starvation until a timeout); ${REMEDIES}`,
  starvationBatch: (env: string, slots: number, batch: number, parentsPerRoot: number) =>
    `root tasks arrive ${batch} at a time, each with ${plural(parentsPerRoot, "parent")} ` +
    `waiting for children in environment "${env}", which has ${plural(slots, "slot")} (max ` +
    "replicas x concurrency): one batch holds every slot and the children can never run " +
    `(starvation until a timeout); ${REMEDIES}`,
  starvationRisk: (env: string, slots: number, roots: number, estimate: string) =>
    `parents wait for children in environment "${env}", which has ${slots} slots (max ` +
    `replicas x concurrency); ${plural(roots, "root task")} in flight at once can hold every ` +
    "slot while their children queue (starvation until a timeout); at least that many are in " +
    `flight ${estimate}; ${REMEDIES}`,
};

/** Rules on the file as written: they hold even where the file would not load. */
export function lintFile(data: ScenarioFile): LintFinding[] {
  const findings: LintFinding[] = [];

  for (const [name, environment] of Object.entries(data.environments)) {
    if (environment.policy === undefined || environment.policy === "none") continue;
    const path = ["environments", name, "policy"];
    const prefix = `environments.${name}.policy`;
    for (const finding of checkReusePolicy(environment.policy, prefix)) {
      findings.push({
        level: finding.level,
        rule: "policy",
        field: finding.field,
        path: [...path, finding.field.slice(prefix.length + 1)],
        message:
          withoutField(finding.message, finding.field) +
          (finding.sdkAccepts ? lintMessages.sdkAccepts : ""),
        sdkAccepts: finding.sdkAccepts,
      });
    }
  }

  // Slots per replica as the loader finds them: an entry completed by the default, and an
  // environment not named by the pattern or default that creates it.
  const slots = entrySlots(data.environments);
  const syncError = (path: FieldPath, message: string): void => {
    findings.push({
      level: "error",
      rule: "sync-concurrency",
      field: formatPath(path),
      path,
      message,
    });
  };
  const syncOn = (env: string, isAsync: boolean, path: FieldPath): void => {
    const concurrency = slots.of(env);
    if (!isAsync && concurrency > 1)
      syncError(path, lintMessages.syncConcurrency(env, concurrency));
  };

  data.workloads.forEach((workload, index) => {
    const isAsync = workload.async === true;
    const asyncPath = ["workloads", index, "async"];
    if ("trace" in workload) {
      // The workload's env when it names one, else the templates that create the trace's
      // environments (rows that name a declared environment are not known without the trace).
      const template = slots.templates.find(({ concurrency }) => concurrency > 1);
      if (workload.env !== undefined) syncOn(workload.env, isAsync, asyncPath);
      else if (!isAsync && template !== undefined) {
        const { entry, concurrency } = template;
        syncError(asyncPath, lintMessages.syncConcurrencyTemplate(entry, concurrency));
      }
      return;
    }
    syncOn(workload.env, isAsync, asyncPath);

    // Children are as async as their parent unless they say otherwise.
    const fanout = workload.fanout;
    if (fanout === undefined) return;
    const childPath = ["workloads", index, "fanout", fanout.async === undefined ? "env" : "async"];
    syncOn(fanout.env ?? workload.env, fanout.async ?? isAsync, childPath);
  });
  return findings;
}

/** Rules on the resolved scenario: how the policies meet the workloads. */
export function lintScenario(scenario: Scenario): LintFinding[] {
  const findings: LintFinding[] = [...controlPeriodTooLong(scenario)];
  for (const environment of scenario.environments) {
    findings.push(...scaledownNeverActs(environment));
    findings.push(...minPointless(environment, scenario));
    findings.push(...overload(environment, scenario));
  }
  scenario.workloads.forEach((workload, index) => {
    if (workload.kind === "synthetic") findings.push(...starvationRisk(workload, index, scenario));
  });
  return findings;
}

function scaledownNeverActs(environment: EnvironmentSpec): LintFinding[] {
  const policy = environment.policy;
  if (policy === "none" || policy.minReplicas() === policy.maxReplicas()) return [];
  if (policy.getIdleTtl() > policy.getScaledownTtl()) return [];
  return [
    {
      level: "warning",
      rule: "scaledown-never-acts",
      field: `environments.${environment.name}.policy.idle_ttl`,
      path: ["environments", environment.name, "policy", "idle_ttl"],
      message: lintMessages.scaledownNeverActs(policy.getIdleTtl(), policy.getScaledownTtl()),
    },
  ];
}

/**
 * With Poisson arrivals at total rate r, a gap outlasts idle_ttl with probability exp(-r T).
 * Where that is likely, the environment is torn down between tasks, and min holds only while
 * it is up. Only synthetic Poisson workloads are judged; traces are not read here.
 */
function minPointless(environment: EnvironmentSpec, scenario: Scenario): LintFinding[] {
  const policy = environment.policy;
  if (policy === "none" || policy.minReplicas() === 0) return [];
  // A trace may send tasks to any environment: its gaps are not known here.
  if (scenario.workloads.some((w) => w.kind !== "synthetic")) return [];
  const own = scenario.workloads.filter(
    (w): w is SyntheticWorkloadSpec => w.kind === "synthetic" && w.env === environment.name,
  );
  // The gap law exp(-r T) holds for Poisson arrivals only; other processes are not judged.
  if (own.length === 0 || own.some((w) => w.arrivals.process !== "poisson")) return [];

  const rate = own.reduce((sum, w) => sum + meanArrivalRate(w.arrivals), 0);
  const probability = Math.exp(-rate * policy.getIdleTtl());
  if (probability <= POINTLESS_MIN_GAP_PROBABILITY) return [];
  return [
    {
      level: "warning",
      rule: "min-pointless",
      field: `environments.${environment.name}.policy.replicas`,
      path: ["environments", environment.name, "policy", "replicas"],
      message: lintMessages.minPointless(
        policy.minReplicas(),
        rate,
        policy.getIdleTtl(),
        probability,
      ),
    },
  ];
}

/**
 * Ticks further apart than a TTL make removals late by up to a period: reported once, for the
 * environment with the shortest TTL.
 */
function controlPeriodTooLong(scenario: Scenario): LintFinding[] {
  const period = scenario.controlPeriodSeconds;
  let shortest: { env: string; ttlName: string; ttl: number } | null = null;
  for (const environment of scenario.environments) {
    const policy = environment.policy;
    if (policy === "none") continue;
    const ttls: [string, number][] = [
      ["scaledown_ttl", policy.getScaledownTtl()],
      ["idle_ttl", policy.getIdleTtl()],
    ];
    for (const [ttlName, ttl] of ttls) {
      if (shortest === null || ttl < shortest.ttl)
        shortest = { env: environment.name, ttlName, ttl };
    }
  }
  if (shortest === null || period <= shortest.ttl) return [];
  return [
    {
      level: "warning",
      rule: "control-period",
      field: "controlPeriod",
      path: ["controlPeriod"],
      message: lintMessages.controlPeriod(period, shortest.env, shortest.ttlName, shortest.ttl),
    },
  ];
}

/**
 * A pool whose mean offered load (Little: arrival rate x mean task time, in busy slots) reaches
 * its max slots cannot keep up: its queue grows without bound while tasks arrive. Judged on
 * synthetic workloads without fan-out only: the load of a trace, or of children, is not known
 * here.
 */
function overload(environment: EnvironmentSpec, scenario: Scenario): LintFinding[] {
  const policy = environment.policy;
  if (policy === "none" || scenario.workloads.some((w) => w.kind !== "synthetic")) return [];
  const own = scenario.workloads.filter(
    (w): w is SyntheticWorkloadSpec => w.kind === "synthetic" && w.env === environment.name,
  );
  if (own.length === 0 || own.some((w) => w.fanout !== undefined)) return [];

  const busy = own.reduce((sum, w) => sum + meanArrivalRate(w.arrivals) * w.duration.mean, 0);
  const slots = policy.maxReplicas() * policy.concurrency;
  if (busy < slots) return [];
  return [
    {
      level: "warning",
      rule: "overload",
      field: `environments.${environment.name}.policy.replicas`,
      path: ["environments", environment.name, "policy", "replicas"],
      message: lintMessages.overload(environment.name, busy, slots),
    },
  ];
}

/**
 * Parents that wait on children queued in the same environment starve when they hold every
 * slot. The parents waiting in the children's environment are the children themselves at every
 * level but the last, and the root when it runs there too; a root elsewhere waits on that
 * environment without starving its own. Certain when one root task's parents fill every slot,
 * or one batch of periodic roots does; otherwise a risk, with the chance that enough roots are in
 * flight at once.
 */
function starvationRisk(
  workload: SyntheticWorkloadSpec,
  index: number,
  scenario: Scenario,
): LintFinding[] {
  const fanout = workload.fanout;
  if (fanout === undefined || fanout.count === 0) return [];

  const name = fanout.env ?? workload.env;
  const environment = scenario.environments.find((e) => e.name === name);
  if (environment === undefined || environment.policy === "none") return [];
  const slots = environment.policy.maxReplicas() * environment.policy.concurrency;
  const parentsPerRoot = parentsWaitingPerRoot(workload);
  if (parentsPerRoot === 0) return [];

  const roots = Math.ceil(slots / parentsPerRoot);
  const finding = (level: LintFinding["level"], message: string): LintFinding[] => [
    {
      level,
      rule: "starvation-risk",
      field: `workloads[${index}].fanout`,
      path: ["workloads", index, "fanout"],
      message,
    },
  ];
  if (roots <= 1)
    return finding("error", lintMessages.starvationCertain(name, slots, parentsPerRoot));

  const arrivals = workload.arrivals;
  if (arrivals.process === "periodic" && arrivals.batch >= roots) {
    return finding(
      "error",
      lintMessages.starvationBatch(name, slots, arrivals.batch, parentsPerRoot),
    );
  }
  return finding(
    "warning",
    lintMessages.starvationRisk(name, slots, roots, inFlightEstimate(workload, roots)),
  );
}

/**
 * The most parents of one root task that can wait in the children's environment at once: one
 * wave of children per parent, each of them a parent down to the last level (counted up to a
 * million: beyond that every pool is full anyway).
 */
function parentsWaitingPerRoot(workload: SyntheticWorkloadSpec): number {
  const fanout = workload.fanout as NonNullable<SyntheticWorkloadSpec["fanout"]>;
  let parents = (fanout.env ?? workload.env) === workload.env ? 1 : 0;
  let level = 1;
  for (let depth = 1; depth < fanout.depth && parents < PARENTS_COUNTED; depth++) {
    level *= fanout.count;
    parents += level;
  }
  return Math.min(parents, PARENTS_COUNTED);
}

/** How often at least `roots` root tasks are in flight, in words, and on what it rests. */
function inFlightEstimate(workload: SyntheticWorkloadSpec, roots: number): string {
  const lifetime = parentLifetimeBound(workload);
  const arrivals = workload.arrivals;
  if (arrivals.process === "periodic") {
    const overlapping = arrivals.batch * Math.ceil(lifetime / arrivals.everySeconds);
    return overlapping >= roots
      ? `whenever batches overlap: a root lives up to about ${formatDuration(lifetime)}, ` +
          `so up to ${overlapping} can be in flight`
      : `never if roots end within about ${formatDuration(lifetime)}, as estimated; ` +
          "slow children or cold starts can still make batches overlap";
  }
  const probability = poissonTail(peakArrivalRate(arrivals) * lifetime, roots);
  return (
    `${formatProbability(probability)} of the time (Poisson estimate at the peak arrival ` +
    "rate, children one after another)"
  );
}

/** The highest rate a process reaches: the estimate of the busiest moments. */
function peakArrivalRate(arrivals: SyntheticWorkloadSpec["arrivals"]): number {
  switch (arrivals.process) {
    case "bursty":
      return Math.max(arrivals.on.rate, arrivals.off.rate);
    case "diurnal":
      return arrivals.shape === "sinusoidal"
        ? arrivals.rate * (1 + arrivals.amplitude)
        : Math.max(...arrivals.points.map((point) => point.rate));
    case "ramp":
      return Math.max(arrivals.fromRate, arrivals.toRate);
    default:
      return meanArrivalRate(arrivals);
  }
}

/**
 * A generous bound on how long a root parent is in flight: its setup, every child one after
 * another (each child a parent too, to the given depth), and the tails.
 */
function parentLifetimeBound(workload: SyntheticWorkloadSpec): number {
  const fanout = workload.fanout as NonNullable<SyntheticWorkloadSpec["fanout"]>;
  let level = fanout.duration.mean;
  for (let depth = 1; depth < fanout.depth; depth++) {
    level = fanout.duration.mean + fanout.waves * fanout.count * level + fanout.tailSeconds;
  }
  return workload.duration.mean + fanout.waves * fanout.count * level + fanout.tailSeconds;
}

/**
 * P(N >= k) for N Poisson with mean `mean`: the share of time at least k parents are in flight
 * when parents arrive as a Poisson process (M/G/infinity: the number in flight is Poisson with
 * mean rate x lifetime).
 */
function poissonTail(mean: number, k: number): number {
  let term = Math.exp(-mean);
  let below = 0;
  for (let n = 0; n < k; n++) {
    below += term;
    term *= mean / (n + 1);
  }
  return Math.max(0, 1 - below);
}

function formatProbability(probability: number): string {
  if (probability >= 0.01) return `about ${(probability * 100).toFixed(0)}%`;
  return probability < 1e-6
    ? "less than one in a million"
    : `about ${probability.toExponential(1)}`;
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function withoutField(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}
