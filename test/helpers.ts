import { makeSampler } from "../sim/distributions.js";
import { ReusePolicy, type ReusePolicyOptions } from "../policies/reuse-policy.js";
import type { EnvironmentSpec, InlineTask, Scenario, WorkloadSpec } from "../sim/scenario.js";
import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";
import type { Task } from "../sim/task.js";
import type { TimelineRow } from "../sim/timeline.js";

/** An environment with a constant cold start, no overheads and a cost of 1 per replica-hour. */
export function env(
  name: string,
  policy: ReusePolicyOptions | "none",
  extra: Partial<EnvironmentSpec> & { coldStartSeconds?: number } = {},
): EnvironmentSpec {
  const { coldStartSeconds = 0, ...rest } = extra;
  return {
    name,
    policy: policy === "none" ? "none" : new ReusePolicy(policy),
    coldStart: makeSampler({ dist: "constant", value: coldStartSeconds }, "coldStart"),
    firstTaskOverheadSeconds: 0,
    dispatchOverheadSeconds: 0,
    cost: { perReplicaHour: 1 },
    ...rest,
  };
}

export function scenario(
  environments: EnvironmentSpec[],
  workloads: WorkloadSpec[],
  extra: Partial<Scenario> = {},
): Scenario {
  return {
    name: "test",
    seed: 1,
    horizonSeconds: Number.POSITIVE_INFINITY,
    controlPeriodSeconds: 0,
    timelineStepSeconds: 60,
    environments,
    workloads,
    baseDir: ".",
    ...extra,
  };
}

export function inline(tasks: InlineTask[]): WorkloadSpec {
  return { kind: "inline", tasks };
}

export interface Run {
  summary: Summary;
  tasks: Map<string, Task>;
  timeline: TimelineRow[];
}

/** Simulate and keep every finished task by id, and every timeline row. */
export async function run(s: Scenario): Promise<Run> {
  const tasks = new Map<string, Task>();
  const timeline: TimelineRow[] = [];
  const summary = await simulate(s, {
    onTaskEnd: (task) => tasks.set(task.id, task),
    onTimelineRow: (row) => timeline.push(row),
  });
  return { summary, tasks, timeline };
}

/** A task's times in seconds, for compact assertions. */
export function times(task: Task | undefined): {
  start: number;
  end: number;
  kind: string;
  replica: number | null;
} {
  if (task === undefined) throw new Error("no such task");
  return {
    start: task.startAt / 1e6,
    end: task.endAt / 1e6,
    kind: task.kind,
    replica: task.replica?.id ?? null,
  };
}
