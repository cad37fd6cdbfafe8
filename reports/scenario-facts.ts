import { formatDuration } from "../sim/duration.js";
import type { ScenarioDescription, WorkloadDescription } from "../sim/scenario-description.js";
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
      workloadText(workload),
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

function workloadText(workload: WorkloadDescription): string {
  switch (workload.kind) {
    case "synthetic": {
      const sync = workload.async ? "async" : "sync";
      return `${describeArrivals(workload.arrivals)} to ${workload.env}, ${sync} tasks lasting ${workload.duration.text}`;
    }
    case "trace": {
      const env = workload.env === null ? "" : ` (rows without env go to ${workload.env})`;
      const format =
        workload.format === "tasks"
          ? ""
          : workload.mapping?.by === "all"
            ? ` (${workload.format}, all in one environment)`
            : ` (${workload.format}, one environment per ${workload.mapping?.by ?? "function"})`;
      return `trace ${workload.path}${format}${env}`;
    }
    case "inline":
      return `${workload.tasks} listed task(s) for ${workload.envs.join(", ")}`;
  }
}
