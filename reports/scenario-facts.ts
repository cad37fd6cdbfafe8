import { formatDuration } from "../sim/duration.js";
import type {
  FanoutDescription,
  ScenarioDescription,
  WorkloadDescription,
} from "../sim/scenario-description.js";
import type { Summary } from "../sim/summary.js";
import { describeArrivals } from "../workloads/arrival-processes.js";
import { policyText } from "./labels.js";

/** A label and its value, as the report's definition lists and tables show them. */
export type Fact = [label: string, value: string];

/** The run in a few lines: what was simulated, for how long, with which workloads. */
export function scenarioFacts(scenario: ScenarioDescription, summary: Summary): Fact[] {
  return [
    ["scenario", scenario.name],
    ["seed", String(scenario.seed)],
    [
      "arrivals until",
      scenario.horizonSeconds === null ? "the trace ends" : formatDuration(scenario.horizonSeconds),
    ],
    ["run ended at", formatDuration(summary.endSeconds)],
    ...scenario.workloads.map((workload, index): Fact => [
      `workload ${index + 1}`,
      workloadText(workload, sharingStream(scenario.workloads, index)),
    ]),
  ];
}

/** One row per environment: name, policy, cold start, overheads and price. */
export function environmentFacts(scenario: ScenarioDescription): string[][] {
  return scenario.environments.map((env) => [
    env.name,
    policyText(env),
    env.coldStart.text,
    `${formatDuration(env.firstTaskOverheadSeconds)} / ${formatDuration(env.dispatchOverheadSeconds)}`,
    String(env.cost.perReplicaHour),
  ]);
}

export const ENVIRONMENT_HEADS = [
  "environment",
  "policy",
  "cold start",
  "first-task / dispatch overhead",
  "price per replica-hour",
];

/**
 * `others`: the numbers (from 1) of the other workloads that share this one's stream.
 */
function workloadText(workload: WorkloadDescription, others: readonly number[]): string {
  switch (workload.kind) {
    case "synthetic": {
      const sync = workload.async ? "async" : "sync";
      const tasks =
        workload.fanout === undefined
          ? `${sync} tasks lasting ${workload.duration.text}`
          : `${sync} parent tasks: ${workload.duration.text} of setup, ${fanoutText(workload.fanout)}`;
      const parts = [`${describeArrivals(workload.arrivals)} to ${workload.env}, ${tasks}`];
      if (workload.timeoutSeconds !== undefined) {
        const what = workload.fanout === undefined ? "a task" : "a parent or child";
        parts.push(
          `timeout ${formatDuration(workload.timeoutSeconds)}: ${what} not done by then fails`,
        );
      }
      if (workload.stream !== undefined) parts.push(streamText(workload.stream, others));
      return parts.join("; ");
    }
    case "trace": {
      const env = workload.env === null ? "" : ` (rows without env go to ${workload.env})`;
      const format =
        workload.format === "tasks"
          ? ""
          : workload.mapping?.by === "all"
            ? ` (${workload.format}, all in one environment)`
            : ` (${workload.format}, one environment per ${workload.mapping?.by ?? "function"})`;
      const timeout =
        workload.timeoutSeconds === undefined
          ? ""
          : `; timeout ${formatDuration(workload.timeoutSeconds)}: a task or child not done by then fails`;
      return `trace ${workload.path} (from the scenario's folder)${format}${env}${timeout}`;
    }
    case "inline":
      return `${workload.tasks} listed task(s) for ${workload.envs.join(", ")}`;
  }
}

/** "then a fan-out of 3 sync children into workers (exponential(mean 1m) each; 1 wave, ...". */
function fanoutText(fanout: FanoutDescription): string {
  const sync = fanout.async ? "async" : "sync";
  const children = fanout.count === 1 ? "child" : "children";
  const perWave = fanout.waves === 1 ? "" : " a wave";
  const waves = `${fanout.waves} wave${fanout.waves === 1 ? "" : "s"}`;
  const tail =
    fanout.tailSeconds === 0 ? "" : `, then a ${formatDuration(fanout.tailSeconds)} tail`;
  return `then a fan-out of ${fanout.count} ${sync} ${children}${perWave} into ${fanout.env} (${fanout.duration.text} each; ${waves}, depth ${fanout.depth}), waited for while the parent holds its slot${tail}`;
}

function streamText(stream: string, others: readonly number[]): string {
  const shared =
    others.length === 0
      ? "its own"
      : `identical tasks to workload${others.length === 1 ? "" : "s"} ${others.join(", ")}`;
  return `stream ${JSON.stringify(stream)}: ${shared}`;
}

/** The numbers (from 1) of the other synthetic workloads with the same stream as workload `index`. */
function sharingStream(workloads: readonly WorkloadDescription[], index: number): number[] {
  const own = workloads[index];
  if (own.kind !== "synthetic" || own.stream === undefined) return [];
  return workloads.flatMap((other, at) =>
    at !== index && other.kind === "synthetic" && other.stream === own.stream ? [at + 1] : [],
  );
}
