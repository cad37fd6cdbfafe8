import type { TopLevelSpec } from "vega-lite";
import {
  CHART_CONFIG,
  COLORS,
  PANEL_WIDTH,
  panelTitle,
  type Chart,
  type ViewSpec,
} from "../chart.js";
import { roundMicros, type Measures } from "../../sim/summary.js";
import { chartedSeries, otherNote } from "../charted-environments.js";
import type { SavedRun } from "../saved-run.js";

const STATES = {
  busy: "busy: running tasks",
  idle: "idle: ready, no task",
  starting: "starting: cold start",
  idleTail: "idle tail: after the last task, until teardown",
} as const;

const BAR_STEP = 30;

interface Row {
  env: string;
  state: string;
  order: number;
  cost: number;
  /** The row's cost as a share of its environment's total. */
  share: number;
}

/**
 * What each environment's replicas cost, split by the state they were in, and under it the
 * idle tail: what was spent after the environment's last task until idle_ttl tore it down.
 */
export function costChart(run: SavedRun): Chart {
  const values: Row[] = [];
  const envDomain: string[] = [];
  const charted = chartedSeries(run.scenario.environments, run.summary);
  for (const series of charted) {
    const cost = addedUp(series.names.map((name) => run.summary.environments[name].cost));
    const row = (state: string, order: number, value: number): Row => ({
      env: series.label,
      state,
      order,
      cost: value,
      share: cost.total > 0 ? value / cost.total : 0,
    });
    envDomain.push(series.label);
    values.push(
      row(STATES.busy, 0, cost.busy),
      row(STATES.idle, 1, cost.idle),
      row(STATES.starting, 2, cost.starting),
      row(STATES.idleTail, 3, cost.idleTail),
    );
  }
  const rates = [...new Set(run.scenario.environments.map((env) => env.cost.perReplicaHour))];

  const spec: TopLevelSpec = {
    title: {
      text: "Cost by replica state, and the idle tail",
      subtitle: [
        `A replica is paid from its request until its removal, at ${rateText(rates)} per replica-hour.`,
        "The idle tail is part of the idle cost: what an environment spends after its last task until idle_ttl tears it down.",
      ],
    },
    data: { values },
    vconcat: [statePanel(envDomain), idleTailPanel(envDomain)],
    resolve: { scale: { x: "shared", color: "shared" } },
    config: CHART_CONFIG,
  };
  return {
    name: "cost",
    title: "Cost split",
    caption: `Each bar is one environment's cost, in the unit of its price per replica-hour. Busy is what the work needs; idle and starting are the price of keeping replicas warm and of cold starts. The lower bars show the idle tail, the part of the idle cost spent after the last task.${otherNote(charted)}`,
    spec,
  };
}

const colorOfState = {
  field: "state",
  type: "nominal",
  title: "replica state",
  scale: {
    domain: Object.values(STATES),
    range: [COLORS.busy, COLORS.idle, COLORS.starting, COLORS.idleTail],
  },
  legend: { columns: 2 },
} as const;

function costAxis() {
  return { field: "cost", type: "quantitative", title: "cost (price units)" } as const;
}

function environmentAxis(envDomain: string[]) {
  return {
    field: "env",
    type: "nominal",
    title: null,
    sort: envDomain,
    axis: { labelLimit: 320 },
  } as const;
}

function statePanel(envDomain: string[]): ViewSpec {
  return {
    title: panelTitle("total cost by state"),
    width: PANEL_WIDTH,
    height: { step: BAR_STEP },
    transform: [{ filter: { field: "state", oneOf: [STATES.busy, STATES.idle, STATES.starting] } }],
    mark: { type: "bar" },
    encoding: {
      y: environmentAxis(envDomain),
      x: { ...costAxis(), stack: "zero" },
      color: colorOfState,
      order: { field: "order", type: "quantitative" },
    },
  };
}

function idleTailPanel(envDomain: string[]): ViewSpec {
  return {
    title: panelTitle("of which idle tail"),
    width: PANEL_WIDTH,
    height: { step: BAR_STEP },
    transform: [
      { filter: { field: "state", equal: STATES.idleTail } },
      {
        calculate:
          "format(datum.cost, ',.3~f') + ' (' + format(datum.share, '.1~%') + ' of its cost)'",
        as: "text",
      },
    ],
    encoding: { y: environmentAxis(envDomain), x: costAxis() },
    layer: [
      { mark: { type: "bar" }, encoding: { color: colorOfState } },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: { text: { field: "text", type: "nominal" } },
      },
    ],
  };
}

type CostSplit = Measures["cost"];

/** One environment's cost split, or the sum of several (rounded as summary.json rounds). */
function addedUp(costs: readonly CostSplit[]): CostSplit {
  if (costs.length === 1) return costs[0];
  const sum = (key: keyof CostSplit): number => roundMicros(costs.reduce((s, c) => s + c[key], 0));
  return {
    total: sum("total"),
    starting: sum("starting"),
    busy: sum("busy"),
    idle: sum("idle"),
    idleTail: sum("idleTail"),
  };
}

function rateText(rates: number[]): string {
  const texts = rates.map((rate) => String(Number(rate.toPrecision(6))));
  if (texts.length === 1) return texts[0];
  if (texts.length <= 3) return `${texts.join(" / ")} (by environment)`;
  return `${Math.min(...rates)} to ${Math.max(...rates)} (by environment)`;
}
