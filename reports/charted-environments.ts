import type { EnvironmentDescription } from "../sim/scenario-description.js";
import type { Measures, Summary } from "../sim/summary.js";
import { environmentLabel } from "./labels.js";

/**
 * Charts draw at most this many environments one by one: a colour each that a reader tells
 * apart, and a chart of bounded size. The rest are added up as one "other" series.
 */
export const MAX_CHARTED_ENVIRONMENTS = 10;

/** One colour per charted environment, and grey for the rest. */
export const ENVIRONMENT_COLORS = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#17becf",
] as const;
export const OTHER_COLOR = "#bab0ac";

/** What a chart draws as one environment: a real one, or the rest added up. */
export interface ChartedSeries {
  label: string;
  /** The environments it adds up: one, or every environment past the first N. */
  names: string[];
  isOther: boolean;
}

/**
 * The environments a chart draws: all of them, in the scenario's order, when they fit;
 * otherwise the MAX_CHARTED_ENVIRONMENTS that cost most (replica-seconds break a tie), still in
 * the scenario's order, then "other (N environments)" adding up the rest.
 */
export function chartedSeries(
  environments: readonly EnvironmentDescription[],
  summary: Summary,
): ChartedSeries[] {
  const one = (env: EnvironmentDescription): ChartedSeries => ({
    label: environmentLabel(env),
    names: [env.name],
    isOther: false,
  });
  if (environments.length <= MAX_CHARTED_ENVIRONMENTS) return environments.map(one);

  const kept = new Set(
    rankByCost(environments.map((env) => [env.name, summary.environments[env.name]])).slice(
      0,
      MAX_CHARTED_ENVIRONMENTS,
    ),
  );
  const rest = environments.filter((env) => !kept.has(env.name)).map((env) => env.name);
  return [
    ...environments.filter((env) => kept.has(env.name)).map(one),
    { label: otherLabel(rest.length), names: rest, isOther: true },
  ];
}

/** "other (30 environments, added up)". */
export function otherLabel(count: number): string {
  return `other (${count} environment${count === 1 ? "" : "s"}, added up)`;
}

/** Keys by cost, highest first; replica-seconds, then the order given, break ties. */
export function rankByCost(entries: readonly [string, Measures][]): string[] {
  return entries
    .map(([key, measures], index) => ({ key, measures, index }))
    .sort(
      (a, b) =>
        b.measures.cost.total - a.measures.cost.total ||
        b.measures.replicaSeconds.total - a.measures.replicaSeconds.total ||
        a.index - b.index,
    )
    .map((entry) => entry.key);
}

/** A colour per series, in order: the palette for environments, grey for "other". */
export function seriesColors(series: readonly ChartedSeries[]): string[] {
  let next = 0;
  return series.map((s) =>
    s.isOther ? OTHER_COLOR : ENVIRONMENT_COLORS[next++ % ENVIRONMENT_COLORS.length],
  );
}

/** A sentence for a chart's caption when some environments are added up as "other". */
export function otherNote(series: readonly ChartedSeries[]): string {
  const other = series.find((s) => s.isOther);
  if (other === undefined) return "";
  return ` Of the ${series.length - 1 + other.names.length} environments, the ${series.length - 1} that cost most are drawn one by one, in the scenario's order; the other ${other.names.length} are added up as one.`;
}
