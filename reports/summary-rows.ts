import type { Measures, Summary } from "../sim/summary.js";

/** The rows of every summary table (terminal, HTML, Markdown): a label and how to print it. */
export const SUMMARY_ROWS: readonly [string, (m: Measures) => string][] = [
  ["tasks arrived / completed", (m) => `${m.tasks.arrived} / ${m.tasks.completed}`],
  ["tasks failed (cancelled)", (m) => `${m.tasks.failed} (${m.tasks.cancelled})`],
  ["tasks unfinished", (m) => String(m.tasks.unfinished)],
  ["wait mean (s)", (m) => waits(m, [m.wait.mean])],
  ["wait p50 / p90 / p99 (s)", (m) => waits(m, [m.wait.p50, m.wait.p90, m.wait.p99])],
  ["wait max (s)", (m) => waits(m, [m.wait.max])],
  [
    "started warm / queued / cold",
    (m) => `${m.tasksByStart.warm} / ${m.tasksByStart.queued} / ${m.tasksByStart.cold}`,
  ],
  ["replica cold starts", (m) => String(m.coldStarts.replicas)],
  ["environment creations", (m) => String(m.coldStarts.environments)],
  ["replicas peak / mean", (m) => `${m.replicas.peak} / ${fixed(m.replicas.mean, 2)}`],
  [
    "replica-s starting / busy / idle",
    (m) =>
      [m.replicaSeconds.starting, m.replicaSeconds.busy, m.replicaSeconds.idle]
        .map((v) => fixed(v, 0))
        .join(" / "),
  ],
  ["idle tail (replica-s)", (m) => fixed(m.replicaSeconds.idleTail, 0)],
  ["utilisation", (m) => (m.utilisation === null ? "-" : `${fixed(m.utilisation * 100, 1)}%`)],
  ["cost", (m) => fixed(m.cost.total, 2)],
];

/** Each row's label followed by its value per environment, and in total when there are several. */
export function summaryCells(summary: Summary): { heads: string[]; rows: string[][] } {
  const names = Object.keys(summary.environments);
  const columns: Measures[] = names.map((name) => summary.environments[name]);
  const heads = names.length > 1 ? [...names, "total"] : names;
  if (names.length > 1) columns.push(summary.total);
  const rows = SUMMARY_ROWS.map(([label, format]) => [label, ...columns.map(format)]);

  // Starvation gets a row only in runs where it happened.
  const starvation = names.map((name) => summary.environments[name].starvation.length);
  if (starvation.some((count) => count > 0)) {
    const total = starvation.reduce((a, b) => a + b, 0);
    rows.push([
      "starvation events",
      ...[...starvation, ...(names.length > 1 ? [total] : [])].map(String),
    ]);
  }
  return { heads, rows };
}

/** Waits to the millisecond, or "-" where no task started and there is no wait to speak of. */
function waits(m: Measures, values: number[]): string {
  const started = m.tasksByStart.warm + m.tasksByStart.queued + m.tasksByStart.cold;
  return values.map((value) => (started === 0 ? "-" : fixed(value))).join(" / ");
}

function fixed(value: number, digits = 3): string {
  return value.toFixed(digits);
}
