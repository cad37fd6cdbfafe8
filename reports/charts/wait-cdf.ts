import type { TopLevelSpec } from "vega-lite";
import { roundMicros } from "../../sim/summary.js";
import type { StartKind } from "../../sim/task.js";
import { CHART_CONFIG, COLORS, PANEL_HEIGHT, PANEL_WIDTH, type Chart } from "../chart.js";
import { chartedSeries, otherNote } from "../charted-environments.js";
import type { SavedRun } from "../saved-run.js";
import {
  BINS_PER_DECADE,
  START_KINDS,
  WAIT_FLOOR_SECONDS,
  binLowerEdge,
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

/** A point of a CDF: the share of tasks that waited at most `wait` seconds. */
interface Step {
  wait: number;
  share: number;
}

/** Room left and right of the curves on the log axis, in decades. */
const MARGIN_DECADES = 0.25;

/** Room under 0% and over 100% on the share axis, in pixels. */
const SHARE_PADDING_PX = 6;

/**
 * The distribution of waits as a CDF on a log time axis, one line per start kind: for each
 * wait x, the share of that kind's tasks that waited at most x. Null when the run has no
 * tasks.csv to count waits from, or no task started.
 */
export function waitCdfChart(run: SavedRun): Chart | null {
  if (run.waits === null || startedTasks(run) === 0) return null;
  const waits = run.waits;
  const isFaceted = run.scenario.environments.length > 1;
  const charted = chartedSeries(run.scenario.environments, run.summary);
  const panels = charted.map((series) => {
    const counts = START_KINDS.map((kind) => sum(series.names.map((n) => waits.total(n, kind))));
    const never = sum(series.names.map((name) => waits.unfinishedCount(name)));
    const neverText = never === 0 ? "" : `; ${never} never started`;
    return { series, counts, label: `${series.label}: ${countsText(counts)}${neverText}` };
  });

  // One panel: the legend counts each curve's tasks. Several: each panel's title does.
  const kindLabels = START_KINDS.map((kind, index) =>
    isFaceted
      ? START_KIND_LABELS[kind]
      : withCount(START_KIND_LABELS[kind], panels[0].counts[index]),
  );
  const values = panels.flatMap((panel) =>
    START_KINDS.flatMap((kind, index) =>
      cdfOf(waits, panel.series.names, kind).map((point) => ({
        env: isFaceted ? panel.label : panel.series.label,
        kind: kindLabels[index],
        ...point,
      })),
    ),
  );
  const domain = waitDomain(values);

  const mark: UnitSpec["mark"] = { type: "line", interpolate: "step-after", strokeWidth: 2 };
  const encoding = cdfEncoding(domain, kindLabels);
  const title = {
    text: "Wait-time distribution by how the task started",
    subtitle: [
      `Cumulative share of tasks (y) that waited at most the time on the x axis; waits of ${WAIT_FLOOR_SECONDS * 1000} ms or less (0 included) count at ${WAIT_FLOOR_SECONDS * 1000} ms.`,
      `Waits are counted in bins ${binStepPercent()}% wide: each step is drawn at its bin's upper edge, and each curve ends at its longest wait, exactly.`,
    ],
  };
  const size = { width: PANEL_WIDTH, height: PANEL_HEIGHT + 60 };

  const spec: TopLevelSpec = isFaceted
    ? {
        title,
        data: { values },
        facet: {
          field: "env",
          type: "nominal",
          title: null,
          sort: panels.map((panel) => panel.label),
        },
        columns: 1,
        spec: { ...size, mark, encoding },
        config: CHART_CONFIG,
      }
    : { title, data: { values }, ...size, mark, encoding, config: CHART_CONFIG };

  return {
    name: "wait-cdf",
    title: "Wait-time distribution",
    caption: `For each way a task can start, the share of those tasks whose wait was at most x. A curve far to the right means long waits; the cold curve shows what cold starts cost the tasks that waited for them.${unfinishedNote(run, waits)}${otherNote(charted)}`,
    spec,
  };
}

/** Wait on a log x axis, share on y, a colour per start kind. */
function cdfEncoding(domain: [number, number], kindLabels: string[]): UnitSpec["encoding"] {
  return {
    x: {
      field: "wait",
      type: "quantitative",
      title: "wait from arrival to the start of the task's code (s, log scale)",
      scale: { type: "log", domain, nice: false },
      axis: { format: "~g" },
    },
    y: {
      field: "share",
      type: "quantitative",
      title: "waited at most x (% of tasks)",
      // A little room under 0% and over 100%: a curve along either would hide in the frame.
      scale: { domain: [0, 1], padding: SHARE_PADDING_PX, nice: false, zero: false },
      axis: { format: "~%", values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    },
    color: {
      field: "kind",
      type: "nominal",
      title: "how the task started",
      scale: { domain: kindLabels, range: [COLORS.warm, COLORS.queued, COLORS.cold] },
      legend: { direction: "vertical" },
    },
  };
}

/**
 * The CDF of one kind in some environments (one, or "other"'s added up) as steps: 0 at the lower
 * edge of the first bin that holds a wait, a rise at the upper edge of each bin that holds any,
 * and the last rise, to 1, at the longest wait itself. Curves start and end where their waits do,
 * so they do not run on top of each other along 0% and 100%.
 */
function cdfOf(waits: WaitHistogram, envs: readonly string[], kind: StartKind): Step[] {
  const lists = envs.map((env) => waits.bins(env, kind));
  const bins = lists[0].map((_, index) => sum(lists.map((list) => list[index])));
  const total = sum(bins);
  if (total === 0) return [];
  const longest = Math.max(...envs.map((env) => waits.max(env, kind)));

  const point = (wait: number, share: number): Step => ({ wait, share });
  const filled = bins.flatMap((count, index) => (count > 0 ? [index] : []));
  const points = [point(roundEdge(binLowerEdge(filled[0])), 0)];
  let below = 0;
  for (const index of filled.slice(0, -1)) {
    below += bins[index];
    points.push(point(roundEdge(binUpperEdge(index)), roundShare(below / total)));
  }
  points.push(point(roundMicros(Math.max(longest, WAIT_FLOOR_SECONDS)), 1));
  return points;
}

/** From a quarter decade below the shortest wait drawn to a quarter decade above the longest. */
function waitDomain(points: readonly Step[]): [number, number] {
  const drawn = points.map((p) => p.wait);
  const low = drawn.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY);
  const high = drawn.reduce((m, v) => Math.max(m, v), 0);
  return [roundEdge(low / 10 ** MARGIN_DECADES), roundEdge(high * 10 ** MARGIN_DECADES)];
}

/** "cold: waited for a new replica to start (2 tasks)". */
function withCount(label: string, count: number): string {
  return `${label} (${count} task${count === 1 ? "" : "s"})`;
}

/** "1 warm, 28 queued, 2 cold tasks". */
function countsText(counts: readonly number[]): string {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const parts = START_KINDS.map((kind, index) => `${counts[index]} ${kind}`);
  return `${parts.join(", ")} task${total === 1 ? "" : "s"}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
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
