import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, COLORS, type Chart, type ViewSpec } from "../chart.js";
import { environmentLabel } from "../labels.js";
import type { SavedRun } from "../saved-run.js";

interface Row {
  env: string;
  measure: string;
  value: number;
}

const WAIT_MEASURES = { p50: "median wait (p50)", p99: "p99 wait" } as const;
const COST = "total cost";
const PANEL_WIDTH = 300;
/** Height per environment: room for its two wait bars. */
const ROW_HEIGHT = 44;

/**
 * Environments side by side, for a scenario that runs several policies (or the no-reuse
 * baseline) on the same work: median and p99 wait against total cost. Null for one environment.
 */
export function comparisonChart(run: SavedRun): Chart | null {
  if (run.scenario.environments.length < 2) return null;

  const envDomain: string[] = [];
  const values: Row[] = [];
  for (const env of run.scenario.environments) {
    const label = environmentLabel(env);
    const measures = run.summary.environments[env.name];
    envDomain.push(label);
    values.push(
      { env: label, measure: WAIT_MEASURES.p50, value: measures.wait.p50 },
      { env: label, measure: WAIT_MEASURES.p99, value: measures.wait.p99 },
      { env: label, measure: COST, value: measures.cost.total },
    );
  }

  const spec: TopLevelSpec = {
    title: {
      text: "Environments side by side: wait and cost",
      subtitle: ["Shorter bars are better on both sides: less waiting, and less money."],
    },
    data: { values },
    hconcat: [waitPanel(envDomain), costPanel(envDomain)],
    resolve: { scale: { y: "shared" } },
    config: CHART_CONFIG,
  };
  return {
    name: "comparison",
    title: "Policies compared",
    caption:
      "Each environment of the scenario with its policy: the median and 99th-percentile wait of its tasks (left, seconds) and what its replicas cost (right). A policy that keeps more replicas warm moves cost up and waits down.",
    spec,
  };
}

function panel(title: string, measures: string[], envDomain: string[]) {
  return {
    title: { text: title, fontSize: 13 },
    width: PANEL_WIDTH,
    height: envDomain.length * ROW_HEIGHT,
    transform: [{ filter: { field: "measure", oneOf: measures } }],
  };
}

/** A bar's value written at its end, so a zero is visible too. */
function valueLabel(format: string) {
  return {
    mark: { type: "text", align: "left", dx: 3, fontSize: 10 },
    encoding: { text: { field: "value", type: "quantitative", format } },
  } as const;
}

function waitPanel(envDomain: string[]): ViewSpec {
  const measures = Object.values(WAIT_MEASURES);
  return {
    ...panel("wait (s)", measures, envDomain),
    encoding: {
      y: { field: "env", type: "nominal", title: null, sort: envDomain },
      yOffset: { field: "measure", sort: measures },
      x: { field: "value", type: "quantitative", title: "wait from arrival to start (s)" },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          color: {
            field: "measure",
            type: "nominal",
            title: "wait percentile",
            scale: { domain: measures, range: [COLORS.p50, COLORS.p99] },
          },
        },
      },
      valueLabel(",.3~f"),
    ],
  };
}

function costPanel(envDomain: string[]): ViewSpec {
  return {
    ...panel(COST, [COST], envDomain),
    encoding: {
      y: { field: "env", type: "nominal", title: null, sort: envDomain, axis: null },
      x: { field: "value", type: "quantitative", title: "cost (price units)" },
    },
    layer: [{ mark: { type: "bar", color: COLORS.cost } }, valueLabel(",.3~f")],
  };
}
