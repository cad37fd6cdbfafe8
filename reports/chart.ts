import type { Config, TopLevelSpec } from "vega-lite";
import { CHART_FONT } from "./font.js";

/** One chart of a report: its file name (charts/NAME.*), its words and its Vega-Lite spec. */
export interface Chart {
  /** File name without extension: letters, digits and dashes. */
  name: string;
  title: string;
  /** How to read the chart, in a sentence or two: the report prints it under the chart. */
  caption: string;
  spec: TopLevelSpec;
}

/** A view inside a vconcat or hconcat, as vega-lite types it. */
export type ViewSpec = Extract<TopLevelSpec, { vconcat: unknown }>["vconcat"][number];

/** A view inside a layer. */
export type LayerChild = Extract<ViewSpec, { layer: unknown }>["layer"][number];

export const PANEL_WIDTH = 640;
export const PANEL_HEIGHT = 170;

/**
 * The title of one panel of a chart with several: at the left edge of the panel's plot, so the
 * titles of panels stacked one above the other line up whatever the width of their axis labels.
 */
export function panelTitle(text: string) {
  return { text, fontSize: 13, anchor: "start", frame: "group", offset: 8 } as const;
}

/**
 * Colours with a meaning that stays the same in every chart. They, the environments' colours and
 * "other"'s grey (charted-environments.ts) are all told apart at a glance: the tests check that
 * every two are more than 15 apart in CIELAB (deltaE 1976).
 */
export const COLORS = {
  busy: "#2c6fbb",
  idle: "#f0a030",
  starting: "#9a7fd1",
  idleTail: "#c8553d",
  peak: "#222222",
  waiting: "#e07b91",
  // Start kinds, apart from the replica states: a queued task is not an idle replica.
  warm: "#009e73",
  queued: "#a6761d",
  cold: "#56b4e9",
  // What became of tasks: failures stand out, completed work recedes.
  completed: "#d3d7dc",
  failed: "#b2182b",
  unfinished: "#5a5a5a",
  // Wait percentiles: a hue no replica state or start kind uses; the median a ring, p99 a dot.
  p50: "#c37ab0",
  p99: "#8e1f6e",
  // Cost in the comparison: a hue of its own, not a grey that would read as "unfinished".
  cost: "#2a8c8c",
} as const;

/** The look every chart shares: one font, white background, titles on the left. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: "white",
  padding: 16,
  title: { anchor: "start", fontSize: 16, subtitleFontSize: 12, subtitleColor: "#444", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", titleColor: "#222" },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: "normal",
    orient: "bottom",
    labelLimit: 0,
  },
  concat: { spacing: 28 },
};
