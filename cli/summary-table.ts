import Table from "cli-table3";
import type { Measures, Summary } from "../sim/summary.js";

const ROWS: readonly [string, (m: Measures) => string][] = [
  ["tasks arrived / completed", (m) => `${m.tasks.arrived} / ${m.tasks.completed}`],
  ["tasks failed (cancelled)", (m) => `${m.tasks.failed} (${m.tasks.cancelled})`],
  ["tasks unfinished", (m) => String(m.tasks.unfinished)],
  ["wait mean (s)", (m) => fixed(m.wait.mean)],
  [
    "wait p50 / p90 / p99 (s)",
    (m) => [m.wait.p50, m.wait.p90, m.wait.p99].map((v) => fixed(v)).join(" / "),
  ],
  ["wait max (s)", (m) => fixed(m.wait.max)],
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

/** The human summary `reuse-sim run` prints: one column per environment, then the total. */
export function formatSummaryTable(summary: Summary): string {
  const names = Object.keys(summary.environments);
  const columns = names.map((name) => summary.environments[name] as Measures);
  if (names.length > 1) columns.push(summary.total);

  const table = new Table({
    head: ["", ...names, ...(names.length > 1 ? ["total"] : [])],
    style: { head: [], border: [] },
  });
  for (const [label, format] of ROWS) table.push([label, ...columns.map(format)]);
  const starvation = Object.values(summary.environments).map((e) => e.starvation.length);
  if (starvation.some((count) => count > 0)) {
    const total = starvation.reduce((a, b) => a + b, 0);
    table.push([
      "starvation events",
      ...starvation.map(String),
      ...(names.length > 1 ? [String(total)] : []),
    ]);
  }
  const stalled =
    summary.stalledAt === null
      ? ""
      : `\nthe run stalled at ${summary.stalledAt} s: unfinished tasks could never end`;
  return `${summary.scenario} (seed ${summary.seed}), ended at ${fixed(summary.endSeconds, 0)} s\n${table.toString()}${stalled}`;
}

function fixed(value: number, digits = 3): string {
  return value.toFixed(digits);
}
