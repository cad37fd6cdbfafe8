import type { TopLevelSpec } from "vega-lite";
import type { StartKind } from "../../sim/task.js";
import { CHART_CONFIG, COLORS, PANEL_HEIGHT, PANEL_WIDTH, type Chart } from "../chart.js";
import { environmentLabel } from "../labels.js";
import type { SavedRun } from "../saved-run.js";
import {
  BINS_PER_DECADE,
  START_KINDS,
  WAIT_FLOOR_SECONDS,
  binUpperEdge,
  type WaitHistogram,
} from "../wait-histogram.js";

/** How a legend names each start kind (sim/task.ts defines them). */
export const START_KIND_LABELS: Record<StartKind, string> = {
  warm: "warm: a slot was free on arrival",
  queued: "queued: waited for a busy slot to free",
  cold: "cold: waited for a new replica to start",
};

type UnitSpec = Extract<TopLevelSpec, { mark: unknown }>;

interface Point {
  env: string;
  kind: string;
  wait: number;
  share: number;
}

/**
 * The distribution of waits as a CDF on a log time axis, one line per start kind: for each
 * wait x, the share of that kind's tasks that waited at most x. Null when the run has no
 * tasks.csv to count waits from, or no task started.
 */
export function waitCdfChart(run: SavedRun): Chart | null {
  if (run.waits === null || startedTasks(run) === 0) return null;
  const waits = run.waits;
  const names = run.scenario.environments.map((env) => env.name);
  const labels = run.scenario.environments.map(environmentLabel);
  // A quarter decade of room past the longest wait, so its last step stands clear of the edge.
  const topEdge = roundEdge(
    binUpperEdge(Math.max(BINS_PER_DECADE, topBin(waits, names) + BINS_PER_DECADE / 4)),
  );
  const values = names.flatMap((env, index) =>
    START_KINDS.flatMap((kind) => cdfOf(waits, env, labels[index], kind, topEdge)),
  );
  const isFaceted = names.length > 1;

  const mark: UnitSpec["mark"] = { type: "line", interpolate: "step-after", strokeWidth: 2 };
  const encoding = cdfEncoding(topEdge);
  const title = {
    text: "Wait-time distribution by how the task started",
    subtitle: [
      "Cumulative share of tasks (y) that waited at most the time on the x axis.",
      `Waits of ${WAIT_FLOOR_SECONDS * 1000} ms or less are drawn at ${WAIT_FLOOR_SECONDS * 1000} ms; waits are counted in bins ${binStepPercent()}% wide.`,
    ],
  };
  const size = { width: PANEL_WIDTH, height: PANEL_HEIGHT + 60 };

  const spec: TopLevelSpec = isFaceted
    ? {
        title,
        data: { values },
        facet: { field: "env", type: "nominal", title: null, sort: labels },
        columns: 1,
        spec: { ...size, mark, encoding },
        config: CHART_CONFIG,
      }
    : { title, data: { values }, ...size, mark, encoding, config: CHART_CONFIG };

  return {
    name: "wait-cdf",
    title: "Wait-time distribution",
    caption: `For each way a task can start, the share of those tasks whose wait was at most x. A curve far to the right means long waits; the cold curve shows what cold starts cost the tasks that waited for them.${unfinishedNote(run, waits)}`,
    spec,
  };
}

/** Wait on a log x axis, share on y, a colour per start kind. */
function cdfEncoding(topEdge: number): UnitSpec["encoding"] {
  return {
    x: {
      field: "wait",
      type: "quantitative",
      title: "wait from arrival to the start of the task's code (s, log scale)",
      scale: { type: "log", domain: [WAIT_FLOOR_SECONDS, topEdge], nice: false },
      axis: { format: "~g" },
    },
    y: {
      field: "share",
      type: "quantitative",
      title: "share of tasks that waited at most x",
      scale: { domain: [0, 1] },
      axis: { format: "~%" },
    },
    color: {
      field: "kind",
      type: "nominal",
      title: "how the task started",
      scale: {
        domain: START_KINDS.map((kind) => START_KIND_LABELS[kind]),
        range: [COLORS.warm, COLORS.queued, COLORS.cold],
      },
      legend: { direction: "vertical" },
    },
  };
}

/**
 * The CDF of one environment's kind as steps: a point at each bin edge where it rises, from 0 at
 * the floor to 1 at the top edge, so every curve spans the whole axis.
 */
function cdfOf(
  waits: WaitHistogram,
  env: string,
  envLabel: string,
  kind: StartKind,
  topEdge: number,
): Point[] {
  const bins = waits.bins(env, kind);
  const total = bins.reduce((sum, count) => sum + count, 0);
  if (total === 0) return [];

  const label = START_KIND_LABELS[kind];
  const point = (wait: number, share: number): Point => ({
    env: envLabel,
    kind: label,
    wait,
    share,
  });
  const points = bins[0] === 0 ? [point(WAIT_FLOOR_SECONDS, 0)] : [];
  let below = 0;
  bins.forEach((count, index) => {
    if (count === 0) return;
    below += count;
    points.push(point(roundEdge(binUpperEdge(index)), roundShare(below / total)));
  });
  if (points[points.length - 1].wait < topEdge) points.push(point(topEdge, 1));
  return points;
}

/** The highest bin that holds a wait, over every environment and kind. */
function topBin(waits: WaitHistogram, names: readonly string[]): number {
  let top = 0;
  for (const env of names) {
    for (const kind of START_KINDS) {
      waits.bins(env, kind).forEach((count, index) => {
        if (count > 0 && index > top) top = index;
      });
    }
  }
  return top;
}

function roundShare(share: number): number {
  return Number(share.toPrecision(6));
}

/** Edges to 4 significant digits: exact enough to read, short in the spec. */
function roundEdge(seconds: number): number {
  return Number(seconds.toPrecision(4));
}

function binStepPercent(): number {
  return Math.round((10 ** (1 / BINS_PER_DECADE) - 1) * 100);
}

function unfinishedNote(run: SavedRun, waits: WaitHistogram): string {
  const unfinished = run.scenario.environments.reduce(
    (sum, env) => sum + waits.unfinishedCount(env.name),
    0,
  );
  return unfinished === 0 ? "" : ` ${unfinished} task(s) never started and are not counted.`;
}

/** Tasks that started, by summary.json. */
export function startedTasks(run: SavedRun): number {
  const { warm, queued, cold } = run.summary.total.tasksByStart;
  return warm + queued + cold;
}
