import type { TopLevelSpec } from "vega-lite";
import {
  CHART_CONFIG,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  panelTitle,
  type Chart,
  type ViewSpec,
} from "../chart.js";
import {
  chartedSeries,
  otherNote,
  seriesColors,
  type ChartedSeries,
} from "../charted-environments.js";
import type { SavedRun } from "../saved-run.js";
import { bucketLengthText, chooseTimeUnit, inUnit, type TimeUnit } from "../time-unit.js";

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
  const bucket = bucketLengthText(run.timeline.bucketSeconds);
  const charted = chartedSeries(run.scenario.environments, run.summary);
  const values = charted.flatMap((series) => seriesRows(run, series, unit));
  const domain = [0, inUnit(run.summary.endSeconds, unit)];
  const envScale = { domain: charted.map((s) => s.label), range: seriesColors(charted) };
  const total = run.summary.total.coldStarts;

  const spec: TopLevelSpec = {
    title: {
      text: `Cold starts and environment creations per ${bucket} bucket`,
      subtitle: [
        `${count(total.replicas, "replica cold start")} and ${count(total.environments, "environment creation")} in the run${charted.length > 1 ? ", stacked by environment" : ""}.`,
      ],
    },
    data: { values },
    vconcat: [
      countPanel(
        "replicaStarts",
        {
          title: "Replicas started: each one a cold start",
          axisTitle: ["cold starts", "(replicas)"],
          height: PANEL_HEIGHT,
        },
        unit,
        domain,
        envScale,
      ),
      countPanel(
        "envCreations",
        {
          title: "Environments created from nothing: first task, or first after a teardown",
          axisTitle: ["created", "(environments)"],
          height: PANEL_HEIGHT / 2,
        },
        unit,
        domain,
        envScale,
      ),
    ],
    config: CHART_CONFIG,
  };
  return {
    name: "cold-starts",
    title: "Cold starts and environment creations",
    caption: `Top: replicas started in each ${bucket} bucket; every one is a cold start that someone waits for or pays for. Bottom: environments created from nothing, by the first task or the first after idle_ttl tore the environment down; each starts max(1, min) replicas at once. The no-reuse baseline creates no environment: each of its tasks is one replica cold start.${otherNote(charted)}`,
    spec,
  };
}

/** A panel's words and height. */
interface CountPanel {
  title: string;
  /** The y axis title, a word or two a line. */
  axisTitle: string[];
  height: number;
}

function countPanel(
  field: "replicaStarts" | "envCreations",
  { title, axisTitle, height }: CountPanel,
  unit: TimeUnit,
  domain: number[],
  envScale: { domain: string[]; range: string[] },
): ViewSpec {
  return {
    title: panelTitle(title),
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
        title: axisTitle,
        axis: { tickMinStep: 1, format: "d" },
      },
      color: {
        field: "env",
        type: "nominal",
        title: "environment",
        scale: envScale,
        legend: { columns: 2 },
      },
    },
  };
}

/** One row per bucket with a start or creation; "other" adds its environments' counts up. */
function seriesRows(run: SavedRun, series: ChartedSeries, unit: TimeUnit): Row[] {
  const rows = new Map<number, Row>();
  for (const name of series.names) {
    for (const b of run.timeline.byEnvironment.get(name) ?? []) {
      if (b.replicaStarts === 0 && b.envCreations === 0) continue;
      const row = rows.get(b.startSeconds) ?? {
        env: series.label,
        start: inUnit(b.startSeconds, unit),
        end: inUnit(b.endSeconds, unit),
        replicaStarts: 0,
        envCreations: 0,
      };
      row.replicaStarts += b.replicaStarts;
      row.envCreations += b.envCreations;
      rows.set(b.startSeconds, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.start - b.start);
}

/** "1 replica cold start", "3 replica cold starts". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
