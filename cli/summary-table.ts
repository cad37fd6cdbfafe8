import Table from "cli-table3";
import { summaryCells } from "../reports/summary-rows.js";
import type { Summary } from "../sim/summary.js";

/** The human summary `reuse-sim run` prints: one column per environment, then the total. */
export function formatSummaryTable(summary: Summary): string {
  const { heads, rows } = summaryCells(summary);
  const table = new Table({ head: ["", ...heads], style: { head: [], border: [] } });
  for (const row of rows) table.push(row);
  const stalled =
    summary.stalledAt === null
      ? ""
      : `\nthe run stalled at ${summary.stalledAt} s: its unfinished tasks could never end`;
  return `${summary.scenario} (seed ${summary.seed}), ended at ${summary.endSeconds.toFixed(0)} s\n${table.toString()}${stalled}`;
}
