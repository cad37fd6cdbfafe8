import Table from "cli-table3";
import { summaryCells } from "../reports/summary-rows.js";
import type { Summary } from "../sim/summary.js";

/** More environments than this and the table shows the costliest only: it must fit a screen. */
export const TABLE_ENVIRONMENTS = 8;

/**
 * The human summary `reuse-sim run` prints: one column per environment, then the total. With
 * many environments, the TABLE_ENVIRONMENTS costliest, and a line saying how many are left out.
 */
export function formatSummaryTable(summary: Summary): string {
  const { shown, hidden } = costliest(summary);
  const { heads, rows } = summaryCells({ ...summary, environments: shown });
  const table = new Table({ head: ["", ...heads], style: { head: [], border: [] } });
  for (const row of rows) table.push(row);
  const left =
    hidden === 0
      ? ""
      : `\n${hidden} more environments are left out of the table (the ${TABLE_ENVIRONMENTS} costliest are shown; the total counts all); summary.json has every one`;
  const stalled =
    summary.stalledAt === null
      ? ""
      : `\nthe run stalled at ${summary.stalledAt} s: its unfinished tasks could never end`;
  return `${summary.scenario} (seed ${summary.seed}), ended at ${summary.endSeconds.toFixed(0)} s\n${table.toString()}${left}${stalled}`;
}

function costliest(summary: Summary): { shown: Summary["environments"]; hidden: number } {
  const entries = Object.entries(summary.environments);
  if (entries.length <= TABLE_ENVIRONMENTS) return { shown: summary.environments, hidden: 0 };

  // Costliest first; equal costs in the order the run created them.
  const picked = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry[1].cost.total - a.entry[1].cost.total || a.index - b.index)
    .slice(0, TABLE_ENVIRONMENTS)
    .map(({ entry }) => entry);
  return { shown: Object.fromEntries(picked), hidden: entries.length - TABLE_ENVIRONMENTS };
}
