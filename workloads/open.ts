import type { Logger } from "../sim/logger.js";
import type { RandomStreams } from "../sim/random.js";
import type { InlineChild, InlineTask, Scenario, WorkloadSpec } from "../sim/scenario.js";
import type { ChildSpec, Fanout } from "../sim/task.js";
import { FixedFanout } from "./fanout.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import { SyntheticSource, poissonProcess } from "./synthetic.js";
import { TasksCsvSource } from "./tasks-csv.js";

/** Make an arrival source for every workload of a scenario, each with its own random streams. */
export function openWorkloads(
  scenario: Scenario,
  streams: RandomStreams,
  _logger: Logger,
): ArrivalSource[] {
  const horizonMicros = Number.isFinite(scenario.horizonSeconds)
    ? Math.round(scenario.horizonSeconds * 1e6)
    : Number.POSITIVE_INFINITY;
  return scenario.workloads.map((spec, index) => open(spec, index, streams, horizonMicros));
}

function open(
  spec: WorkloadSpec,
  index: number,
  streams: RandomStreams,
  horizonMicros: number,
): ArrivalSource {
  const label = `workloads[${index}]`;
  if (spec.kind === "inline") return inlineSource(label, spec.tasks, index, horizonMicros);
  if (spec.kind === "trace") {
    return new TasksCsvSource({
      label: `${label} (${spec.path})`,
      path: spec.path,
      env: spec.env,
      idPrefix: `w${index}-`,
      horizonMicros,
    });
  }
  // A named stream lets several workloads draw the same tasks, to compare policies on one load.
  const streamName = spec.stream === undefined ? String(index) : `named/${spec.stream}`;
  return new SyntheticSource({
    label,
    env: spec.env,
    idPrefix: `w${index}-`,
    process: poissonProcess(spec.arrivals.rate),
    duration: spec.duration,
    arrivalRng: streams.stream(`workload/${streamName}/arrivals`),
    durationRng: streams.stream(`workload/${streamName}/duration`),
    childrenRng: streams.stream(`workload/${streamName}/children`),
    horizonMicros,
    timeoutMicros: Math.round((spec.timeoutSeconds ?? 0) * 1e6),
    fanout: spec.fanout ?? null,
  });
}

/** Inline tasks are sorted by arrival (stable, so equal arrivals keep their given order). */
function inlineSource(
  label: string,
  tasks: readonly InlineTask[],
  index: number,
  horizonMicros: number,
): ArrivalSource {
  const arrivals: TaskArrival[] = tasks
    .map((task, n) => {
      const id = task.id ?? `w${index}-${n + 1}`;
      const timeoutMicros = Math.round((task.timeout ?? 0) * 1e6);
      return {
        id,
        env: task.env,
        arrivalAt: Math.round(task.arrival * 1e6),
        workMicros: Math.round(task.duration * 1e6),
        timeoutMicros,
        fanout: inlineFanout(task, id, task.env, timeoutMicros),
      };
    })
    .filter((task) => task.arrivalAt < horizonMicros)
    .sort((a, b) => a.arrivalAt - b.arrivalAt);
  let isDone = false;
  return {
    label,
    next: async () => {
      if (isDone || arrivals.length === 0) return null;
      isDone = true;
      return arrivals;
    },
    close: async () => {
      isDone = true;
    },
  };
}

function inlineFanout(
  parent: InlineTask | InlineChild,
  parentId: string,
  parentEnv: string,
  timeoutMicros: number,
): Fanout | null {
  if (parent.children === undefined) return null;
  const children: ChildSpec[] = parent.children.map((child, n) => {
    const id = child.id ?? `${parentId}.${n + 1}`;
    const env = child.env ?? parentEnv;
    return {
      id,
      env,
      workMicros: Math.round(child.duration * 1e6),
      timeoutMicros,
      fanout: inlineFanout(child, id, env, timeoutMicros),
    };
  });
  return new FixedFanout([children], Math.round((parent.tail ?? 0) * 1e6));
}
