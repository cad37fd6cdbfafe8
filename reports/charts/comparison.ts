import type { TopLevelSpec } from "vega-lite";
import type { Measures } from "../../sim/summary.js";
import { CHART_CONFIG, COLORS, type Chart, type ViewSpec } from "../chart.js";
import { environmentLabel } from "../labels.js";
import type { SavedRun } from "../saved-run.js";
import { setUpsOf, type SetUps } from "../set-ups.js";
import { WAIT_FLOOR_SECONDS } from "../wait-histogram.js";

/** One environment's measures, from summary.json, as the three panels draw them. */
interface Row {
  setUp: string;
  env: string;
  measures: Measures;
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
  /** The wait from summary.json. */
  wait: number;
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

/** Height of one environment's row. */
const ROW_STEP = 26;
const TASKS_WIDTH = 150;
const WAIT_WIDTH = 300;
const COST_WIDTH = 240;
/** Room right of the longest wait for its label, in decades of the log axis. */
const WAIT_LABEL_DECADES = 0.8;

/**
 * Environments side by side, grouped into the set-ups the scenario compares (a parent's
 * environment with the one its children run in): what became of their tasks, their median and
 * p99 wait on a log axis, and their cost. Null for one environment.
 */
export function comparisonChart(run: SavedRun): Chart | null {
  if (run.scenario.environments.length < 2) return null;
  const grouping = setUpsOf(run.scenario);
  const groups = grouping.setUps.map((setUp) => {
    let costFrom = 0;
    return setUp.environments.map((env, index): Row => {
      const measures = run.summary.environments[env.name];
      const row = { setUp: setUp.name, env: environmentLabel(env), measures, costFrom };
      costFrom += measures.cost.total;
      const isLast = setUp.environments.length > 1 && index === setUp.environments.length - 1;
      return { ...row, setUpCost: isLast ? costFrom : null };
    });
  });
  const rows = groups.flat();
  const floor = waitFloor(rows);
  const scales = {
    wait: waitDomain(rows, floor),
    // A run that cost nothing (no price set) still gets an axis that reads.
    cost: [0, Math.max(...rows.map((row) => row.costFrom + row.measures.cost.total)) || 1],
  };

  // A grid: a line per set-up, a column per panel. Only the last line has axes and legends.
  const cells = groups.flatMap((group, index) => {
    const line: Line = {
      isLast: index === groups.length - 1,
      title: group.length > 1 ? group[0].setUp : null,
    };
    return [
      tasksCell(group.flatMap(taskShares), line),
      waitCell(
        group.flatMap((row) => waitPoints(row, floor)),
        scales.wait,
        line,
      ),
      costCell(group.map(costBar), scales.cost, line),
    ];
  });

  const spec: TopLevelSpec = {
    title: {
      text: grouping.isGrouped
        ? "Set-ups side by side: tasks, wait and cost"
        : "Environments side by side: tasks, wait and cost",
      subtitle: subtitleOf(grouping, floor),
    },
    concat: cells,
    columns: 3,
    spacing: { column: 24, row: 6 },
    resolve: { scale: { color: "independent" } },
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

function taskShares(row: Row): TaskShare[] {
  const { arrived, completed, failed, unfinished } = row.measures.tasks;
  const share = (count: number): number => (arrived === 0 ? 0 : count / arrived);
  const counts = [completed, failed, unfinished];
  let from = 0;
  return Object.values(OUTCOMES).map((outcome, index) => {
    const to = from + share(counts[index]);
    const segment = {
      setUp: row.setUp,
      env: row.env,
      outcome,
      from,
      to,
      text: index === 0 ? tasksText(row.measures) : "",
      isMostlyCompleted: share(completed) >= 0.5,
    };
    from = to;
    return segment;
  });
}

function waitPoints(row: Row, floor: number): WaitPoint[] {
  const { p50, p99 } = row.measures.wait;
  const [p50Drawn, p99Drawn] = [Math.max(p50, floor), Math.max(p99, floor)];
  const point = (percentile: string, wait: number, drawn: number): WaitPoint => ({
    setUp: row.setUp,
    env: row.env,
    percentile,
    wait,
    drawn,
    lineFrom: drawn,
    text: "",
  });
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
  const { arrived, failed, unfinished } = row.measures.tasks;
  const cost = row.measures.cost.total;
  const isShort = failed + unfinished > 0;
  const own = `${row.costFrom > 0 ? "+" : ""}${costFormat(cost)}`;
  const total = row.setUpCost === null ? "" : ` = ${costFormat(row.setUpCost)} for the set-up`;
  const short =
    failed + unfinished === arrived
      ? ", but every task failed or never finished"
      : `, but ${Math.round(((failed + unfinished) / arrived) * 100)}% of its tasks failed or never finished`;
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
function tasksText(m: Measures): string {
  const { arrived, completed, failed, unfinished } = m.tasks;
  if (arrived === 0) return "no task";
  if (completed === arrived) return `all ${arrived} completed`;
  const parts = [
    ...(failed > 0 ? [`${failed} of ${arrived} failed`] : []),
    ...(unfinished > 0 ? [`${unfinished}${failed > 0 ? "" : ` of ${arrived}`} unfinished`] : []),
  ];
  return parts.join(", ");
}

function subtitleOf(grouping: SetUps, floor: number): string[] {
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
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
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
        mark: { type: "point", filled: true, size: 60, opacity: 1 },
        encoding: {
          x: x("drawn"),
          color: {
            field: "percentile",
            type: "nominal",
            title: "wait",
            scale: { domain: Object.values(WAITS), range: [COLORS.p50, COLORS.p99] },
            legend: line.isLast ? { direction: "vertical" } : null,
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 8, fontSize: 10 },
        encoding: { x: x("drawn"), text: { field: "text", type: "nominal" } },
      },
    ],
  } as unknown as ViewSpec;
}

function costCell(values: CostBar[], domain: number[], line: Line): ViewSpec {
  return {
    ...cellOf(line, COST_WIDTH, values.length, false),
    data: { values },
    encoding: { y: envAxis(false) },
    layer: [
      {
        mark: { type: "bar", color: COLORS.cost },
        encoding: {
          x: {
            field: "from",
            type: "quantitative",
            scale: { domain, nice: true },
            ...xAxis(line, "cost (price units)", { tickCount: 4 }),
          },
          x2: { field: "to" },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
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
    .flatMap((row) => [row.measures.wait.p50, row.measures.wait.p99])
    .filter((wait) => wait > 0);
  if (waits.length === 0) return WAIT_FLOOR_SECONDS;
  const shortest = Math.min(...waits);
  return Math.max(WAIT_FLOOR_SECONDS, 10 ** (Math.floor(Math.log10(shortest)) - 1));
}

function waitDomain(rows: readonly Row[], floor: number): [number, number] {
  const longest = Math.max(floor * 10, ...rows.map((row) => row.measures.wait.p99));
  return [floor, Number((longest * 10 ** WAIT_LABEL_DECADES).toPrecision(4))];
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
