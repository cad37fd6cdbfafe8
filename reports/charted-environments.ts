import type { EnvironmentDescription } from "../sim/scenario-description.js";
import type { Measures, Summary } from "../sim/summary.js";
import { environmentLabel } from "./labels.js";

/**
 * Charts draw at most this many environments one by one: a colour each that a reader tells
 * apart, and a chart of bounded size. The rest are added up as one "other" series.
 */
export const MAX_CHARTED_ENVIRONMENTS = 10;

/**
 * One colour per charted environment, and grey for the rest. They keep clear of the colours
 * COLORS gives a meaning (busy blue, idle orange, failed red...), not only of each other: a reader
 * who has seen the other charts should not take an environment for a replica state.
 */
export const ENVIRONMENT_COLORS = [
  "#266628",
  "#eca586",
  "#8b4bb5",
  "#cbb64d",
  "#4ac7cb",
  "#7c4f26",
  "#72b65c",
  "#b3b0f0",
  "#615b1f",
  "#71c6a4",
] as const;
export const OTHER_COLOR = "#9d9590";

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
