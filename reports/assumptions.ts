import { formatDuration } from "../sim/duration.js";
import type { EnvironmentDescription, ScenarioDescription } from "../sim/scenario-description.js";
import { MAX_TIME_BUCKETS, type TimelineBuckets } from "./timeline-buckets.js";

/** One statement of the model a reader should know before trusting the numbers. */
export interface Assumption {
  topic: string;
  text: string;
}

/** The model's assumptions behind a run, in the words of MODEL.md, with this run's values. */
export function assumptionsOf(
  scenario: ScenarioDescription,
  timeline: TimelineBuckets,
): Assumption[] {
  return [
    { topic: "Control period", text: controlText(scenario.controlPeriodSeconds) },
    ...perEnvironment(
      scenario,
      "Cold start",
      (env) =>
        `each replica's start takes a draw from ${env.coldStart.text}; the first task on a fresh replica pays ${formatDuration(env.firstTaskOverheadSeconds)} more, and every dispatch ${formatDuration(env.dispatchOverheadSeconds)}.`,
    ),
    ...perEnvironment(
      scenario,
      "Cost rate",
      (env) =>
        `${env.cost.perReplicaHour} per replica-hour, paid from the moment a replica is requested until it is removed: starting, busy and idle time all count.`,
    ),
    {
      topic: "Dispatch",
      text: "a task goes to the ready replica with a free slot and the lowest id, so work packs onto few replicas; tasks that find no free slot wait and are served first come, first served.",
    },
    {
      topic: "Scale-up",
      text: "below min, the missing replicas start at once; otherwise one replica starts when running plus waiting tasks exceed the slots of the starting and ready replicas, up to max.",
    },
    {
      topic: "Scale-down and teardown",
      text: "an idle replica above min is removed after scaledown_ttl (highest id first); an environment with no task running or waiting for idle_ttl loses every replica, whatever min, and the next task creates it again with a full cold start.",
    },
    {
      topic: "Wait",
      text: "from a task's arrival until its own code starts: time queued, cold starts it waited for, and the dispatch and first-task overheads.",
    },
    { topic: "Arrivals", text: horizonText(scenario.horizonSeconds) },
    {
      topic: "Charts",
      text: `the timeline is recorded every ${formatDuration(scenario.timelineStepSeconds)} and charted in buckets of ${formatDuration(timeline.bucketSeconds)} (at most ${MAX_TIME_BUCKETS} per environment): a bucket shows means and the peak inside it. Summary wait percentiles are exact while every environment counted has started at most 4096 tasks, and beyond that come from a sketch accurate to 0.1%.`,
    },
  ];
}

/** One statement per distinct text, naming the environments it holds for. */
function perEnvironment(
  scenario: ScenarioDescription,
  topic: string,
  textOf: (env: EnvironmentDescription) => string,
): Assumption[] {
  const names = new Map<string, string[]>();
  for (const env of scenario.environments) {
    const text = textOf(env);
    names.set(text, [...(names.get(text) ?? []), env.name]);
  }
  const isShared = names.size === 1 && scenario.environments.length > 1;
  return [...names].map(([text, envs]) => ({
    topic: `${topic} (${isShared ? "every environment" : envs.join(", ")})`,
    text,
  }));
}

function controlText(periodSeconds: number): string {
  if (periodSeconds === 0) {
    return "0: exact timers. Replicas and environments are removed the instant their TTL runs out (the real controller checks every 5s).";
  }
  const period = formatDuration(periodSeconds);
  return `${period}. Scale-up, scale-down and teardown are checked every ${period}, so a removal may come up to ${period} after its TTL runs out, as in the real controller.`;
}

function horizonText(horizonSeconds: number | null): string {
  if (horizonSeconds === null)
    return "as the trace gives them, until it ends; the run then drains.";
  return `until ${formatDuration(horizonSeconds)}; the run then goes on until every task has ended and every environment is torn down.`;
}
