import type { TopLevelSpec } from "vega-lite";
import { formatDuration } from "../../sim/duration.js";
import { CHART_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, type Chart, type ViewSpec } from "../chart.js";
import { environmentLabel } from "../labels.js";
import type { SavedRun } from "../saved-run.js";
import { chooseTimeUnit, inUnit, type TimeUnit } from "../time-unit.js";

interface Row {
  env: string;
  start: number;
  end: number;
  replicaStarts: number;
  envCreations: number;
}

/**
 * Cold starts over time: replicas requested per time bucket (each pays a cold start), and the
 * times an environment was created from nothing (the first task, or the first after an
 * idle_ttl teardown), as bars stacked by environment. Null when no replica ever started.
 */
export function coldStartsChart(run: SavedRun): Chart | null {
  if (run.summary.total.coldStarts.replicas === 0) return null;
  const unit = chooseTimeUnit(run.summary.endSeconds);
  const bucket = formatDuration(run.timeline.bucketSeconds);
  const labels = new Map(run.scenario.environments.map((env) => [env.name, environmentLabel(env)]));
  const values: Row[] = [];
  for (const [name, buckets] of run.timeline.byEnvironment) {
    for (const b of buckets) {
      if (b.replicaStarts === 0 && b.envCreations === 0) continue;
      values.push({
        env: labels.get(name) ?? name,
        start: inUnit(b.startSeconds, unit),
        end: inUnit(b.endSeconds, unit),
        replicaStarts: b.replicaStarts,
        envCreations: b.envCreations,
      });
    }
  }
  const domain = [0, inUnit(run.summary.endSeconds, unit)];
  const envDomain = [...labels.values()];
  const total = run.summary.total.coldStarts;

  const spec: TopLevelSpec = {
    title: {
      text: `Cold starts per ${bucket}`,
      subtitle: [
        `${count(total.replicas, "replica cold start")} and ${count(total.environments, "environment creation")} in the run, counted per ${bucket} bucket.`,
      ],
    },
    data: { values },
    vconcat: [
      countPanel(
        "replicaStarts",
        ["cold starts", "(replicas)"],
        PANEL_HEIGHT,
        unit,
        domain,
        envDomain,
      ),
      countPanel(
        "envCreations",
        ["created", "(environments)"],
        PANEL_HEIGHT / 2,
        unit,
        domain,
        envDomain,
      ),
    ],
    config: CHART_CONFIG,
  };
  return {
    name: "cold-starts",
    title: "Cold starts and environment creations",
    caption: `Top: replicas started in each ${bucket} bucket; every one is a cold start that someone waits for or pays for. Bottom: environments created from nothing, by the first task or the first after idle_ttl tore the environment down; each starts max(1, min) replicas at once. The no-reuse baseline creates no environment: each of its tasks is one replica cold start.`,
    spec,
  };
}

function countPanel(
  field: "replicaStarts" | "envCreations",
  /** The y axis title, a word or two a line. */
  title: string[],
  height: number,
  unit: TimeUnit,
  domain: number[],
  envDomain: string[],
): ViewSpec {
  return {
    width: PANEL_WIDTH,
    height: Math.round(height),
    transform: [{ filter: `datum.${field} > 0` }],
    mark: { type: "bar", binSpacing: 0 },
    encoding: {
      x: {
        field: "start",
        type: "quantitative",
        title: `time since the start of the run (${unit.name})`,
        scale: { domain, nice: false },
      },
      x2: { field: "end" },
      y: {
        field,
        type: "quantitative",
        aggregate: "sum",
        title,
        axis: { tickMinStep: 1, format: "d" },
      },
      color: {
        field: "env",
        type: "nominal",
        title: "environment",
        scale: { domain: envDomain },
        legend: { columns: 2 },
      },
    },
  };
}

/** "1 replica cold start", "3 replica cold starts". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
