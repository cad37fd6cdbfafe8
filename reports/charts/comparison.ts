import type { TopLevelSpec } from "vega-lite";
import type { EnvironmentDescription } from "../../sim/scenario-description.js";
import { roundMicros, type Measures, type Summary } from "../../sim/summary.js";
import { MAX_CHARTED_ENVIRONMENTS, otherLabel, rankByCost } from "../charted-environments.js";
import { CHART_CONFIG, COLORS, type Chart, type ViewSpec } from "../chart.js";
import { environmentLabel } from "../labels.js";
import { chartTextWidth } from "../text-metrics.js";
import type { SavedRun } from "../saved-run.js";
import { setUpsOf, type SetUp, type SetUps } from "../set-ups.js";
import { WAIT_FLOOR_SECONDS } from "../wait-histogram.js";

/** One environment's measures, from summary.json, as the three panels draw them. */
interface Row {
  setUp: string;
  env: string;
  tasks: Measures["tasks"];
  /** Null for "other": percentiles of several environments do not add up. */
  wait: { p50: number; p99: number } | null;
  cost: number;
  /** Where its cost bar starts: where the set-up's environment above it ended. */
  costFrom: number;
  /** The last environment of a set-up of several says the set-up's total. */
  setUpCost: number | null;
}

/** A bar segment of the tasks panel: one outcome's share of an environment's tasks. */
interface TaskShare {
  setUp: string;
  env: string;
  outcome: string;
  /** Tasks with this outcome, from summary.json. */
  count: number;
  from: number;
  to: number;
  /** Written on the environment's first segment only. */
  text: string;
  isMostlyCompleted: boolean;
}

/** A dot of the wait panel, with the line from p50 to p99 on the p99 dot. */
interface WaitPoint {
  setUp: string;
  env: string;
  percentile: string;
  /** The wait from summary.json; null for "other", which draws no dot. */
  wait: number | null;
  /** As drawn: at least the axis' floor, which a log axis needs. */
  drawn: number;
  lineFrom: number;
  text: string;
}

interface CostBar {
  setUp: string;
  env: string;
  /** summary.json's cost.total. */
  cost: number;
  from: number;
  to: number;
  text: string;
  /** Some of its tasks failed or never finished: its cost did not buy the work. */
  isShort: boolean;
}

const OUTCOMES = {
  completedShare: "completed",
  failedShare: "failed (cancelled included)",
  unfinishedShare: "unfinished",
} as const;

const WAITS = { p50: "median wait (p50)", p99: "p99 wait" } as const;

/**
 * Sizes (areas, px²) of the wait marks: the median is a ring wide enough to stay visible around
 * the p99 dot drawn over it when the two waits are equal.
 */
const WAIT_MARKS = { p99DotSize: 60, p50RingSize: 140, p50RingStroke: 2 } as const;

/** The cost legend's one entry: says what a cost bar is, in a colour no other bar has. */
const COST_LEGEND = "cost of the environment's replicas";

/** Height of one environment's row. */
const ROW_STEP = 26;
const TASKS_WIDTH = 150;
const WAIT_WIDTH = 300;
/** The cost panel's width, unless its longest label needs more: see costPanelWidth. */
const COST_WIDTH = 240;
/** Room a cost panel keeps for its bars, left of the longest label. */
const MIN_COST_BARS_WIDTH = 160;

/** The labels set beside the cost bars and p99 dots: their size, and their gap from the mark. */
const LABEL_FONT_SIZE = 10;
const COST_LABEL_GAP = 4;
const WAIT_LABEL_GAP = 8;

/**
 * Environments side by side, grouped into the set-ups the scenario compares (a parent's
 * environment with the one its children run in): what became of their tasks, their median and
 * p99 wait on a log axis, and their cost. Null for fewer than two set-ups: a driver environment
 * with the workers its tasks fan out to is one set-up, with nothing to compare it to.
 */
export function comparisonChart(run: SavedRun): Chart | null {
  const grouping = setUpsOf(run.scenario);
  if (grouping.setUps.length < 2) return null;
  const { shown, rest } = chartedSetUps(grouping.setUps, run.summary);
  const groups = shown.map((setUp) => {
    let costFrom = 0;
    return setUp.environments.map((env, index): Row => {
      const measures = run.summary.environments[env.name];
      const row = {
        setUp: setUp.name,
        env: environmentLabel(env),
        tasks: measures.tasks,
        wait: { p50: measures.wait.p50, p99: measures.wait.p99 },
        cost: measures.cost.total,
        costFrom,
      };
      costFrom += measures.cost.total;
      const isLast = setUp.environments.length > 1 && index === setUp.environments.length - 1;
      return { ...row, setUpCost: isLast ? costFrom : null };
    });
  });
  if (rest.length > 0) groups.push([otherRow(rest, run.summary)]);
  const floor = waitFloor(groups.flat());
  const lines = groups.map((group) => ({
    shares: group.flatMap(taskShares),
    points: group.flatMap((row) => waitPoints(row, floor)),
    bars: group.map(costBar),
  }));
  const [points, bars] = [lines.flatMap((l) => l.points), lines.flatMap((l) => l.bars)];
  const costWidth = costPanelWidth(bars);
  const scales = { wait: waitDomain(points, floor), cost: costDomain(bars, costWidth) };

  // A grid: a line per set-up, a column per panel. Only the last line has axes and legends.
  const cells = lines.flatMap(({ shares, points, bars }, index) => {
    const line: Line = {
      isLast: index === groups.length - 1,
      title: groups[index].length > 1 ? groups[index][0].setUp : null,
    };
    return [
      tasksCell(shares, line),
      waitCell(points, scales.wait, line),
      costCell(bars, { domain: scales.cost, width: costWidth }, line),
    ];
  });

  const spec: TopLevelSpec = {
    title: {
      text: grouping.isGrouped
        ? "Set-ups side by side: tasks, wait and cost"
        : "Environments side by side: tasks, wait and cost",
      subtitle: subtitleOf(grouping, floor, rest),
    },
    concat: cells,
    columns: 3,
    spacing: { column: 24, row: 6 },
    resolve: { scale: { color: "independent", fill: "independent", stroke: "independent" } },
    config: CHART_CONFIG,
  };
  return {
    name: "comparison",
    title: grouping.isGrouped ? "Set-ups compared" : "Policies compared",
    caption:
      "Each environment of the scenario with its policy: the share of its tasks that completed, failed or never finished (left), the median and 99th-percentile wait of those that started (middle, log scale) and what its replicas cost (right). A policy that keeps more replicas warm moves cost up and waits down; one whose tasks failed is not cheaper, it did not do the work.",
    spec,
  };
}

/** Where a cell sits: the last line draws the axes and legends; a set-up's name tops its line. */
interface Line {
  isLast: boolean;
  title: string | null;
}

/**
 * The set-ups drawn one by one: all when their environments fit in MAX_CHARTED_ENVIRONMENTS;
 * else those that cost most, as many as fit, in the scenario's order. The rest make "other".
 */
function chartedSetUps(setUps: readonly SetUp[], summary: Summary) {
  const count = setUps.reduce((n, setUp) => n + setUp.environments.length, 0);
  if (count <= MAX_CHARTED_ENVIRONMENTS) return { shown: [...setUps], rest: [] };

  const measuresOf = (setUp: SetUp) => {
    const all = setUp.environments.map((env) => summary.environments[env.name]);
    const total = (of: (m: Measures) => number): number => all.reduce((n, m) => n + of(m), 0);
    return {
      cost: { total: total((m) => m.cost.total) },
      replicaSeconds: { total: total((m) => m.replicaSeconds.total) },
    } as Measures;
  };
  const ranked = rankByCost(setUps.map((setUp) => [setUp.name, measuresOf(setUp)]));
  const kept = new Set<string>();
  let room = MAX_CHARTED_ENVIRONMENTS;
  for (const name of ranked) {
    const size = (setUps.find((setUp) => setUp.name === name) as SetUp).environments.length;
    if (size > room) break;
    kept.add(name);
    room -= size;
  }
  return {
    shown: setUps.filter((setUp) => kept.has(setUp.name)),
    rest: setUps.filter((setUp) => !kept.has(setUp.name)).flatMap((setUp) => setUp.environments),
  };
}

/** The environments past the top ones, added up: their tasks and cost; no wait. */
function otherRow(rest: readonly EnvironmentDescription[], summary: Summary): Row {
  const all = rest.map((env) => summary.environments[env.name]);
  const total = (of: (m: Measures) => number): number => all.reduce((n, m) => n + of(m), 0);
  return {
    setUp: otherLabel(rest.length),
    env: otherLabel(rest.length),
    tasks: {
      arrived: total((m) => m.tasks.arrived),
      completed: total((m) => m.tasks.completed),
      failed: total((m) => m.tasks.failed),
      cancelled: total((m) => m.tasks.cancelled),
      failedWaiting: total((m) => m.tasks.failedWaiting),
      unfinished: total((m) => m.tasks.unfinished),
    },
    wait: null,
    cost: roundMicros(total((m) => m.cost.total)),
    costFrom: 0,
    setUpCost: null,
  };
}

function taskShares(row: Row): TaskShare[] {
  const { arrived, completed, failed, unfinished } = row.tasks;
  const share = (count: number): number => (arrived === 0 ? 0 : count / arrived);
  const counts = [completed, failed, unfinished];
  let from = 0;
  return Object.values(OUTCOMES).map((outcome, index) => {
    const to = from + share(counts[index]);
    const segment = {
      setUp: row.setUp,
      env: row.env,
      outcome,
      count: counts[index],
      from,
      to,
      text: index === 0 ? tasksText(row.tasks) : "",
      isMostlyCompleted: share(completed) >= 0.5,
    };
    from = to;
    return segment;
  });
}

function waitPoints(row: Row, floor: number): WaitPoint[] {
  const point = (percentile: string, wait: number | null, drawn: number): WaitPoint => ({
    setUp: row.setUp,
    env: row.env,
    percentile,
    wait,
    drawn,
    lineFrom: drawn,
    text: "",
  });
  if (row.wait === null) {
    return [{ ...point(WAITS.p99, null, floor), text: "no wait: percentiles do not add up" }];
  }
  const { p50, p99 } = row.wait;
  const [p50Drawn, p99Drawn] = [Math.max(p50, floor), Math.max(p99, floor)];
  return [
    point(WAITS.p50, p50, p50Drawn),
    {
      ...point(WAITS.p99, p99, p99Drawn),
      lineFrom: p50Drawn,
      text: p50 === p99 ? `${waitFormat(p99)} s` : `${waitFormat(p50)}\u2013${waitFormat(p99)} s`,
    },
  ];
}

function costBar(row: Row): CostBar {
  const { arrived, failed, unfinished } = row.tasks;
  const cost = row.cost;
  const isShort = failed + unfinished > 0;
  const own = `${row.costFrom > 0 ? "+" : ""}${costFormat(cost)}`;
  const total = row.setUpCost === null ? "" : ` = ${costFormat(row.setUpCost)} for the set-up`;
  const short =
    failed + unfinished === arrived
      ? ", but no task completed"
      : `, but ${Math.round(((failed + unfinished) / arrived) * 100)}% did not complete`;
  return {
    setUp: row.setUp,
    env: row.env,
    cost,
    from: row.costFrom,
    to: row.costFrom + cost,
    text: own + total + (isShort ? short : ""),
    isShort,
  };
}

/** "all 52 completed", "52 of 52 failed", "3 of 40 failed, 2 unfinished". */
function tasksText(tasks: Measures["tasks"]): string {
  const { arrived, completed, failed, unfinished } = tasks;
  if (arrived === 0) return "no task";
  if (completed === arrived) return `all ${arrived} completed`;
  const parts = [
    ...(failed > 0 ? [`${failed} of ${arrived} failed`] : []),
    ...(unfinished > 0 ? [`${unfinished}${failed > 0 ? "" : ` of ${arrived}`} unfinished`] : []),
  ];
  return parts.join(", ");
}

function subtitleOf(
  grouping: SetUps,
  floor: number,
  rest: readonly EnvironmentDescription[],
): string[] {
  const streams = grouping.sharedStreams.map((stream) => JSON.stringify(stream)).join(", ");
  const lines = grouping.isGrouped
    ? [
        "Rows are grouped by set-up: a parent's environment with the one its children run in (fanout.env).",
        "In a set-up, each cost bar starts where the one above it ends: the last reaches the set-up's total.",
      ]
    : ["One row per environment: the scenario does not say which environments work together."];
  if (grouping.sharedStreams.length > 0) {
    const fed = grouping.isGrouped ? "set-up" : "environment";
    lines.push(`Workloads of stream ${streams} give each ${fed} they feed the same tasks.`);
  }
  if (rest.length > 0) {
    lines.push(
      `The ${rest.length} environments that cost least are added up as "other": their tasks and cost, not their waits.`,
    );
  }
  const floorText = `${Number(floor.toPrecision(1))} s`;
  return [
    ...lines,
    "Less wait and less cost are better only where the tasks completed: a row whose tasks failed (red) did not do the work.",
    `Waits on a log axis: a wait under ${floorText} (0 included) is drawn at ${floorText}.`,
  ];
}

/** The panels' x axes: labelled on the last line only, with grid lines on every one. */
function xAxis(line: Line, title: string, extra: Record<string, unknown> = {}) {
  return {
    title: line.isLast ? title : null,
    axis: line.isLast ? extra : { ...extra, labels: false, ticks: false },
  };
}

function envAxis(isLabelled: boolean) {
  return {
    field: "env",
    type: "nominal",
    title: null,
    sort: null,
    axis: isLabelled ? { labelLimit: 320 } : null,
  } as const;
}

function cellOf(line: Line, width: number, rows: number, isFirst: boolean) {
  return {
    ...(isFirst && line.title !== null
      ? { title: { text: line.title, fontSize: 12, anchor: "start", offset: 6 } }
      : {}),
    width,
    height: rows * ROW_STEP,
  };
}

function tasksCell(values: TaskShare[], line: Line): ViewSpec {
  const rows = values.length / Object.keys(OUTCOMES).length;
  return {
    ...cellOf(line, TASKS_WIDTH, rows, true),
    data: { values },
    encoding: { y: envAxis(true) },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x: {
            field: "from",
            type: "quantitative",
            scale: { domain: [0, 1] },
            ...xAxis(line, "tasks (% of arrived)", { format: "~%", values: [0, 0.5, 1] }),
          },
          x2: { field: "to" },
          color: {
            field: "outcome",
            type: "nominal",
            title: "tasks",
            scale: {
              domain: Object.values(OUTCOMES),
              range: [COLORS.completed, COLORS.failed, COLORS.unfinished],
            },
            legend: line.isLast ? { direction: "vertical" } : null,
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: LABEL_FONT_SIZE },
        encoding: {
          x: { datum: 0, type: "quantitative" },
          text: { field: "text", type: "nominal" },
          color: {
            condition: { test: "datum.isMostlyCompleted", value: "#222222" },
            value: "white",
          },
        },
      },
    ],
  } as unknown as ViewSpec;
}

function waitCell(values: WaitPoint[], domain: [number, number], line: Line): ViewSpec {
  const x = (field: string) => ({
    field,
    type: "quantitative",
    scale: { type: "log", domain, nice: false },
    ...xAxis(line, "wait from arrival to start, p50 to p99 (s, log scale)", {
      values: powersOfTen(domain),
      format: "~g",
    }),
  });
  return {
    ...cellOf(line, WAIT_WIDTH, values.length / 2, false),
    data: { values },
    encoding: { y: envAxis(false) },
    layer: [
      {
        mark: { type: "rule", color: "#999999", strokeWidth: 2 },
        encoding: { x: x("lineFrom"), x2: { field: "drawn" } },
      },
      {
        // Each row's p50 comes first: its ring is drawn under the p99 dot, and shows around it.
        mark: { type: "point", strokeWidth: WAIT_MARKS.p50RingStroke },
        encoding: {
          x: x("drawn"),
          opacity: { condition: { test: "datum.wait === null", value: 0 }, value: 1 },
          size: {
            condition: {
              test: `datum.percentile === ${JSON.stringify(WAITS.p50)}`,
              value: WAIT_MARKS.p50RingSize,
            },
            value: WAIT_MARKS.p99DotSize,
          },
          stroke: byPercentile([COLORS.p50, COLORS.p99], line),
          fill: byPercentile(["white", COLORS.p99], line),
        },
      },
      {
        mark: { type: "text", align: "left", dx: WAIT_LABEL_GAP, fontSize: LABEL_FONT_SIZE },
        encoding: { x: x("drawn"), text: { field: "text", type: "nominal" } },
      },
    ],
  } as unknown as ViewSpec;
}

/** One colour channel of the wait marks; stroke and fill share a legend, a ring and a dot. */
function byPercentile(range: [string, string], line: Line) {
  return {
    field: "percentile",
    type: "nominal",
    title: "wait",
    scale: { domain: Object.values(WAITS), range },
    legend: line.isLast ? { direction: "vertical" } : null,
  } as const;
}

function costCell(
  values: CostBar[],
  scale: { domain: number[]; width: number },
  line: Line,
): ViewSpec {
  const domain = scale.domain;
  return {
    ...cellOf(line, scale.width, values.length, false),
    data: { values },
    encoding: { y: envAxis(false) },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x: {
            field: "from",
            type: "quantitative",
            scale: { domain, nice: true },
            ...xAxis(line, "cost (price units)", { tickCount: 4 }),
          },
          x2: { field: "to" },
          color: {
            datum: COST_LEGEND,
            type: "nominal",
            title: "cost",
            scale: { domain: [COST_LEGEND], range: [COLORS.cost] },
            legend: line.isLast ? { direction: "vertical" } : null,
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: COST_LABEL_GAP, fontSize: LABEL_FONT_SIZE },
        encoding: {
          x: { field: "to", type: "quantitative" },
          text: { field: "text", type: "nominal" },
          color: { condition: { test: "datum.isShort", value: COLORS.failed }, value: "#222222" },
        },
      },
    ],
  } as unknown as ViewSpec;
}

/**
 * The wait axis' floor: a decade below the power of ten under the shortest wait that is not 0,
 * and no lower than the 1 ms under which the wait histogram lumps waits together.
 */
function waitFloor(rows: readonly Row[]): number {
  const waits = rows
    .flatMap((row) => (row.wait === null ? [] : [row.wait.p50, row.wait.p99]))
    .filter((wait) => wait > 0);
  if (waits.length === 0) return WAIT_FLOOR_SECONDS;
  const shortest = Math.min(...waits);
  return Math.max(WAIT_FLOOR_SECONDS, 10 ** (Math.floor(Math.log10(shortest)) - 1));
}

/**
 * The log wait axis: from the floor, at least a decade, and far enough right that the label
 * after each p99 dot ends inside the panel.
 */
function waitDomain(points: readonly WaitPoint[], floor: number): [number, number] {
  const decades = points.map((point) => {
    const at = Math.log10(point.drawn / floor);
    return labelledEnd(at, point.text, WAIT_LABEL_GAP, WAIT_WIDTH);
  });
  return [floor, roundUp(floor * 10 ** Math.max(1, ...decades))];
}

/**
 * The cost axis' end: far enough right that the label after each bar ends inside the panel.
 * A run that cost nothing (no price set) still gets an axis that reads.
 */
function costDomain(bars: readonly CostBar[], width: number): [number, number] {
  const ends = bars.map((bar) => labelledEnd(bar.to, bar.text, COST_LABEL_GAP, width));
  return [0, roundUp(Math.max(...ends)) || 1];
}

/** Wide enough for the bars and the longest label after them, and never under COST_WIDTH. */
function costPanelWidth(bars: readonly CostBar[]): number {
  const labels = bars.map((bar) => labelWidth(bar.text, COST_LABEL_GAP));
  return Math.ceil(Math.max(COST_WIDTH, ...labels.map((w) => w + MIN_COST_BARS_WIDTH)));
}

/**
 * Where an axis from 0 must end for a mark at `at` (in the axis' units, from its start) and its
 * label to fit a panel `width` px wide: the mark takes the width the label leaves.
 */
function labelledEnd(at: number, text: string, gap: number, width: number): number {
  if (text === "") return at;
  const room = width - labelWidth(text, gap);
  if (room <= 0) throw new RangeError(`comparison: label "${text}" is wider than ${width} px`);
  return (at * width) / room;
}

function labelWidth(text: string, gap: number): number {
  return gap + chartTextWidth(text, LABEL_FONT_SIZE);
}

/** Four significant digits, never below `value`: the last label keeps its room. */
function roundUp(value: number): number {
  return Number((value * 1.001).toPrecision(4));
}

function powersOfTen([low, high]: [number, number]): number[] {
  const values: number[] = [];
  for (let exponent = Math.round(Math.log10(low)); 10 ** exponent <= high; exponent++) {
    values.push(Number((10 ** exponent).toPrecision(1)));
  }
  return values;
}

/** Three significant digits, without a trailing zero: "0", "3.45", "890". */
function waitFormat(seconds: number): string {
  return String(Number(seconds.toPrecision(3)));
}

function costFormat(cost: number): string {
  return String(Number(cost.toFixed(3)));
}
