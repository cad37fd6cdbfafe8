import { formatDuration } from "../sim/duration.js";
import type { EnvironmentSpec, Scenario, SyntheticWorkloadSpec } from "../sim/scenario.js";
import type { ScenarioFile } from "../sim/scenario-schema.js";
import type { FieldPath } from "../sim/scenario-source.js";
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
  "policy" | "sync-concurrency" | "scaledown-never-acts" | "min-pointless" | "starvation-risk";

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
  starvationCertain: (env: string, slots: number) =>
    `parents wait for children in environment "${env}", which has ${slots} slot: the parent ` +
    `holds it and its children can never run (starvation until a timeout); ${REMEDIES}`,
  starvationRisk: (env: string, slots: number, probability: number) =>
    `parents wait for children in environment "${env}", which has ${slots} slots (max ` +
    `replicas x concurrency); with random arrivals any number of parents can be in flight, and ` +
    `${slots} of them at once hold every slot while their children queue (starvation until a ` +
    `timeout); at least ${slots} are in flight ${formatProbability(probability)} of the ` +
    `time (Poisson estimate, children run one after another); ${REMEDIES}`,
};

/** Rules on the file as written: they hold even where the file would not load. */
export function lintFile(data: ScenarioFile): LintFinding[] {
  const findings: LintFinding[] = [];
  const concurrency = new Map<string, number>();

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
    const slots = environment.policy.concurrency;
    if (typeof slots === "number") concurrency.set(name, slots);
  }

  data.workloads.forEach((workload, index) => {
    if ("trace" in workload || workload.async === true) return;
    const slots = concurrency.get(workload.env) ?? 1;
    if (slots <= 1) return;
    findings.push({
      level: "error",
      rule: "sync-concurrency",
      field: `workloads[${index}].async`,
      path: ["workloads", index, "async"],
      message: lintMessages.syncConcurrency(workload.env, slots),
    });
  });
  return findings;
}

/** Rules on the resolved scenario: how the policies meet the workloads. */
export function lintScenario(scenario: Scenario): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const environment of scenario.environments) {
    findings.push(...scaledownNeverActs(environment));
    findings.push(...minPointless(environment, scenario));
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
 * Parents that wait on children queued in their own environment starve when they hold every
 * slot: certain with one slot, a risk with more under random arrivals. Checked at each level of
 * nesting: with depth > 1 the children are parents too, in the children's environment.
 */
function starvationRisk(
  workload: SyntheticWorkloadSpec,
  index: number,
  scenario: Scenario,
): LintFinding[] {
  const fanout = workload.fanout;
  if (fanout === undefined || fanout.count === 0) return [];

  const childEnv = fanout.env ?? workload.env;
  const sharing = new Set<string>();
  if (childEnv === workload.env) sharing.add(childEnv);
  if (fanout.depth > 1) sharing.add(childEnv); // the children are parents in their own env

  const findings: LintFinding[] = [];
  for (const name of sharing) {
    const environment = scenario.environments.find((e) => e.name === name);
    if (environment === undefined || environment.policy === "none") continue;
    const slots = environment.policy.maxReplicas() * environment.policy.concurrency;
    const inFlight = meanArrivalRate(workload.arrivals) * parentLifetimeBound(workload);
    findings.push({
      level: slots <= 1 ? "error" : "warning",
      rule: "starvation-risk",
      field: `workloads[${index}].fanout`,
      path: ["workloads", index, "fanout"],
      message:
        slots <= 1
          ? lintMessages.starvationCertain(name, slots)
          : lintMessages.starvationRisk(name, slots, poissonTail(inFlight, slots)),
    });
  }
  return findings;
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

function withoutField(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}
