import type { Assumption } from "./assumptions.js";
import type { Chart } from "./chart.js";
import type { SavedRun } from "./saved-run.js";
import { ENVIRONMENT_HEADS, environmentFacts, scenarioFacts } from "./scenario-facts.js";
import { starvationSection, type StarvationSection } from "./starvation-facts.js";
import { summaryCells } from "./summary-rows.js";

export interface MarkdownReportParts {
  run: SavedRun;
  charts: readonly Chart[];
  assumptions: readonly Assumption[];
  notes: readonly string[];
}

/** report.md: the summary table and the charts as PNG links, for a design doc or a pull request. */
export function markdownReport(parts: MarkdownReportParts): string {
  const { run } = parts;
  const summary = summaryCells(run.summary);
  const lines = [
    `# reuse-sim report: ${inline(run.scenario.name)}`,
    "",
    ...scenarioFacts(run.scenario, run.summary).map(
      ([label, value]) => `- **${label}:** ${inline(value)}`,
    ),
    "",
    "## Environments and policies",
    "",
    markdownTable(ENVIRONMENT_HEADS, environmentFacts(run.scenario)),
    "",
    "## Summary",
    "",
    markdownTable(["", ...summary.heads], summary.rows),
    "",
    "## Starvation and stalls",
    "",
    ...starvationMarkdown(starvationSection(run.scenario, run.summary)),
    "## Charts",
    "",
    ...parts.charts.flatMap((chart) => [
      `### ${inline(chart.title)}`,
      "",
      `![${inline(chart.title)}](charts/${chart.name}.png)`,
      "",
      inline(chart.caption),
      "",
      `Also as [SVG](charts/${chart.name}.svg) and [Vega-Lite spec](charts/${chart.name}.vl.json).`,
      "",
    ]),
    ...parts.notes.map((note) => `> ${inline(note)}\n`),
    "## Model assumptions",
    "",
    ...parts.assumptions.map((a) => `- **${inline(a.topic)}:** ${inline(a.text)}`),
    "",
    "The full report with every chart is in [report.html](report.html).",
    "",
  ];
  return lines.join("\n");
}

function starvationMarkdown(section: StarvationSection): string[] {
  return [
    ...section.paragraphs.flatMap((text) => [inline(text), ""]),
    ...section.environments.flatMap((env) => [
      `### ${inline(env.label)}`,
      "",
      inline(env.text),
      "",
      markdownTable(env.heads, env.rows),
      "",
      ...(env.more === null ? [] : [inline(env.more), ""]),
    ]),
  ];
}

function markdownTable(heads: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(" | ")} |`;
  return [line(heads), line(heads.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A table cell: pipes would split the cell, newlines the row. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, "\\|");
}

/** Text on one line, with the characters that would start Markdown markup escaped. */
function inline(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/([\\`*_[\]<>])/g, "\\$1");
}
