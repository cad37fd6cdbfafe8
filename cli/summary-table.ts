import Table from "cli-table3";
import { summaryCells } from "../reports/summary-rows.js";
import { quote } from "../sim/errors.js";
import type { Summary } from "../sim/summary.js";

/** More environments than this and the table shows the costliest only: it must fit a screen. */
export const TABLE_ENVIRONMENTS = 8;

/** Starved environments described under the table, each by its first event; the rest counted. */
export const LISTED_STARVED_ENVIRONMENTS = 8;

/** Task ids listed per starvation event under the table; the rest are counted. */
const LISTED_IDS = 5;

/**
 * The human summary `reuse-sim run` prints: one column per environment, then the total. With
 * many environments, the TABLE_ENVIRONMENTS costliest, and a line saying how many are left out.
 * Under it, each starved environment's first starvation event, and the stall.
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
  return `${summary.scenario} (seed ${summary.seed}), ended at ${summary.endSeconds.toFixed(0)} s\n${table.toString()}${left}${starvationLines(summary)}${stalled}`;
}

/** A line per starved environment: its first event, what was stuck, and how many more events. */
function starvationLines(summary: Summary): string {
  const starved = Object.entries(summary.environments).filter(
    ([, environment]) => environment.starvation.length > 0,
  );
  const lines = starved.slice(0, LISTED_STARVED_ENVIRONMENTS).map(([name, environment]) => {
    const [first, ...rest] = environment.starvation;
    const more =
      rest.length === 0
        ? ""
        : ` ${count(rest.length, "more starvation event")} there; summary.json lists every one.`;
    return `starvation in environment ${quote(name)} at ${first.at} s: ${first.reason}. Stuck: parents ${ids(first.parents)}; children ${ids(first.children)}.${more}`;
  });
  const hidden = starved.length - LISTED_STARVED_ENVIRONMENTS;
  if (hidden > 0) {
    lines.push(`${count(hidden, "more environment")} starved; summary.json lists every event`);
  }
  return lines.map((line) => `\n${line}`).join("");
}

function ids(list: readonly string[]): string {
  const shown = list.slice(0, LISTED_IDS).join(", ");
  return list.length > LISTED_IDS ? `${shown} and ${list.length - LISTED_IDS} more` : shown;
}

/** "1 more environment", "3 more environments". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
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
