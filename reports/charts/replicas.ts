import type { TopLevelSpec } from "vega-lite";
import {
  CHART_CONFIG,
  COLORS,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  panelTitle,
  type Chart,
  type LayerChild,
  type ViewSpec,
} from "../chart.js";
import { roundMicros } from "../../sim/summary.js";
import { chartedSeries, otherNote, type ChartedSeries } from "../charted-environments.js";
import type { SavedRun } from "../saved-run.js";
import { bucketLengthText, chooseTimeUnit, inUnit, type TimeUnit } from "../time-unit.js";
import type { TimeBucket } from "../timeline-buckets.js";

/** The areas of this chart, in stacking and legend order, with the words a legend shows. */
const AREAS = {
  busy: "busy: running tasks",
  idle: "idle: ready, no task",
  starting: "starting: cold start",
  waiting: "waiting tasks (mean)",
} as const;

/** The lines: one colour, told apart by their dashes. */
const LINES = {
  peakReplicas: "peak replicas in bucket",
  peakWaiting: "peak waiting tasks in bucket",
} as const;

const STACKED = ["busy", "idle", "starting"] as const;

/**
 * Replicas over time, one pair of panels per environment: the mean number of busy, idle and
 * starting replicas in each bucket as a stacked area with the bucket's peak as a line, and below
 * it, on the same time axis, the tasks waiting for a slot. Null for a run in which no time passed.
 */
export function replicasChart(run: SavedRun): Chart | null {
  if (run.summary.endSeconds === 0) return null;
  const unit = chooseTimeUnit(run.summary.endSeconds);
  const bucket = bucketLengthText(run.timeline.bucketSeconds);
  const charted = chartedSeries(run.scenario.environments, run.summary);
  const values = charted.flatMap((series) => rowsOf(keyOf(series), bucketsOf(run, series), unit));
  const domain = [0, inUnit(run.summary.endSeconds, unit)];
  const height = charted.length > FULL_SIZE_ENVIRONMENTS ? SMALL_PANEL_HEIGHT : PANEL_HEIGHT;

  const spec: TopLevelSpec = {
    title: {
      text: "Replicas and waiting tasks over time",
      subtitle: [
        `Areas: mean replicas in each ${bucket} bucket, stacked by state; the solid line is the most replicas alive at once in the bucket.`,
        "Lower panels: tasks waiting for a free slot on the same time axis; the dashed line is the most waiting at once.",
      ],
    },
    data: { values },
    vconcat: charted.flatMap((series) => [
      replicaPanel(series, unit, domain, height),
      waitingPanel(series, unit, domain, height),
    ]),
    resolve: { scale: { color: "shared", strokeDash: "shared" } },
    config: CHART_CONFIG,
  };
  return {
    name: "replicas",
    title: "Replicas and waiting tasks over time",
    caption: `Each environment's replicas, split into busy (running at least one task), idle (ready but running none) and starting (in their cold start), as means over ${bucket} buckets; the solid dark line is the peak number of replicas in each bucket. The panel under each shows the tasks waiting for a slot, their mean and (dashed) their peak in each bucket. Every replica-second in the areas is paid for.${otherNote(charted)}${charted.some((s) => s.isOther) ? " The other environments' panels add up their means; a sum of peaks would be no peak, so they have no lines." : ""}`,
    spec,
  };
}

/** Panels keep their full height for this many environments, and shrink for more. */
const FULL_SIZE_ENVIRONMENTS = 4;
const SMALL_PANEL_HEIGHT = 100;

/** What the rows of a series are filtered by: an environment's name, or "other"'s label. */
function keyOf(series: ChartedSeries): string {
  return series.isOther ? series.label : series.names[0];
}

/** An environment's buckets, or the buckets of several added up, time by time. */
function bucketsOf(run: SavedRun, series: ChartedSeries): TimeBucket[] {
  const lists = series.names.map((name) => run.timeline.byEnvironment.get(name) ?? []);
  if (lists.length === 1) return lists[0];
  const sums = new Map<number, TimeBucket>();
  for (const bucket of lists.flat()) {
    const sum = sums.get(bucket.startSeconds);
    if (sum === undefined) {
      sums.set(bucket.startSeconds, { ...bucket });
      continue;
    }
    sum.endSeconds = Math.max(sum.endSeconds, bucket.endSeconds);
    for (const key of ["starting", "idle", "busy", "waiting"] as const) {
      sum[key] = roundMicros(sum[key] + bucket[key]);
    }
    for (const key of ["peakReplicas", "peakWaiting", "replicaStarts", "envCreations"] as const) {
      sum[key] += bucket[key];
    }
  }
  return [...sums.values()].sort((a, b) => a.startSeconds - b.startSeconds);
}

interface Row {
  env: string;
  t: number;
  busy: number;
  idle: number;
  starting: number;
  peakReplicas: number;
  waiting: number;
  peakWaiting: number;
}

/** One row per bucket, and one more at the end so the last bucket's step has a width. */
function rowsOf(env: string, buckets: readonly TimeBucket[], unit: TimeUnit): Row[] {
  const rows = buckets.map((bucket) => rowAt(env, bucket, bucket.startSeconds, unit));
  const last = buckets.at(-1);
  if (last !== undefined) rows.push(rowAt(env, last, last.endSeconds, unit));
  return rows;
}

function rowAt(env: string, bucket: TimeBucket, atSeconds: number, unit: TimeUnit): Row {
  return {
    env,
    t: inUnit(atSeconds, unit),
    busy: bucket.busy,
    idle: bucket.idle,
    starting: bucket.starting,
    peakReplicas: bucket.peakReplicas,
    waiting: bucket.waiting,
    peakWaiting: bucket.peakWaiting,
  };
}

/**
 * The shared time axis. The upper panel of a pair draws its ticks only, and leaves the labels
 * and the title to the lower panel just under it.
 */
function timeAxis(unit: TimeUnit, domain: number[], isLabelled: boolean) {
  return {
    field: "t",
    type: "quantitative",
    title: isLabelled ? `time since the start of the run (${unit.name})` : null,
    scale: { domain, nice: false, zero: true },
    ...(isLabelled ? {} : { axis: { labels: false } }),
  } as const;
}

/** Areas in a colour each, shown in the legend as filled squares. */
const areaColor = {
  field: "series",
  type: "nominal",
  title: null,
  scale: {
    domain: Object.values(AREAS),
    range: [COLORS.busy, COLORS.idle, COLORS.starting, COLORS.waiting],
  },
  legend: { columns: 2, symbolType: "square" },
} as const;

/** Lines in the dark peak colour, solid or dashed, shown in the legend as strokes. */
const lineDash = {
  field: "line",
  type: "nominal",
  title: null,
  scale: {
    domain: Object.values(LINES),
    range: [
      [1, 0],
      [4, 3],
    ],
  },
  legend: {
    columns: 1,
    symbolType: "stroke",
    symbolStrokeColor: COLORS.peak,
    symbolStrokeWidth: 1.5,
  },
} as const;

/** Replicas and waiting tasks are whole numbers: ticks at fractions would read as counts. */
const COUNT_AXIS = { tickMinStep: 1, format: "d" } as const;

function onlyEnvironment(env: string) {
  return { filter: `datum.env === ${JSON.stringify(env)}` };
}

function replicaPanel(
  series: ChartedSeries,
  unit: TimeUnit,
  domain: number[],
  height: number,
): ViewSpec {
  return {
    title: panelTitle(`${series.label}: replicas`),
    width: PANEL_WIDTH,
    height,
    transform: [onlyEnvironment(keyOf(series))],
    encoding: { x: timeAxis(unit, domain, false) },
    layer: [
      {
        transform: [
          { fold: [...STACKED], as: ["key", "replicas"] },
          { calculate: `${JSON.stringify(AREAS)}[datum.key]`, as: "series" },
          { calculate: `indexof(${JSON.stringify(STACKED)}, datum.key)`, as: "stackOrder" },
        ],
        mark: { type: "area", interpolate: "step-after" },
        encoding: {
          y: {
            field: "replicas",
            type: "quantitative",
            stack: "zero",
            // "other" has no peak line: see peakLine.
            title: ["mean by state", series.isOther ? "(replicas)" : "and peak (replicas)"],
            axis: COUNT_AXIS,
          },
          color: areaColor,
          order: { field: "stackOrder", type: "quantitative" },
        },
      },
      ...peakLine(series, "peakReplicas", 1.2),
    ],
  };
}

/** The peak line of a panel; "other" has none, since a sum of peaks is no peak. */
function peakLine(
  series: ChartedSeries,
  field: keyof typeof LINES,
  strokeWidth: number,
): LayerChild[] {
  if (series.isOther) return [];
  return [
    {
      transform: [{ calculate: JSON.stringify(LINES[field]), as: "line" }],
      mark: { type: "line", interpolate: "step-after", strokeWidth, color: COLORS.peak },
      encoding: { y: { field, type: "quantitative" }, strokeDash: lineDash },
    },
  ];
}

function waitingPanel(
  series: ChartedSeries,
  unit: TimeUnit,
  domain: number[],
  height: number,
): ViewSpec {
  return {
    title: panelTitle(`${series.label}: waiting tasks`),
    width: PANEL_WIDTH,
    height: Math.round(height / 2),
    transform: [onlyEnvironment(keyOf(series))],
    encoding: { x: timeAxis(unit, domain, true) },
    layer: [
      {
        transform: [{ calculate: JSON.stringify(AREAS.waiting), as: "series" }],
        mark: { type: "area", interpolate: "step-after", opacity: 0.8 },
        encoding: {
          y: {
            field: "waiting",
            type: "quantitative",
            title: ["waiting", "(tasks)"],
            axis: COUNT_AXIS,
          },
          color: areaColor,
        },
      },
      ...peakLine(series, "peakWaiting", 1),
    ],
  };
}
