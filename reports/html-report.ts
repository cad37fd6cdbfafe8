import type { Assumption } from "./assumptions.js";
import type { Chart } from "./chart.js";
import { CHART_FONT, embeddedFontFaces } from "./font.js";
import { escapeHtml, htmlDefinitions, htmlTable } from "./html.js";
import type { SavedRun } from "./saved-run.js";
import { ENVIRONMENT_HEADS, environmentFacts, scenarioFacts } from "./scenario-facts.js";
import { starvationSection, type StarvationSection } from "./starvation-facts.js";
import { summaryCells } from "./summary-rows.js";

/** A chart with its SVG, ready to be placed in a page. */
export interface RenderedChart {
  chart: Chart;
  svg: string;
}

export interface HtmlReportParts {
  run: SavedRun;
  charts: readonly RenderedChart[];
  assumptions: readonly Assumption[];
  /** Things the reader should know the report lacks, such as a chart with no data. */
  notes: readonly string[];
}

/**
 * report.html: one self-contained page, no script, no external resource (the content security
 * policy forbids any), charts as inline SVG and the charts' font embedded. It opens offline and
 * attaches to any document.
 */
export function htmlReport(parts: HtmlReportParts): string {
  const { run } = parts;
  const summary = summaryCells(run.summary);
  const title = `reuse-sim report: ${run.scenario.name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${embeddedFontFaces()}
${STYLE}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="lede">A simulated run of reusable container pools (Flyte 2 ReusePolicy): what each policy costs and how long tasks wait.</p>
<section id="scenario">
<h2>Scenario</h2>
${htmlDefinitions(scenarioFacts(run.scenario, run.summary))}
</section>
<section id="environments">
<h2>Environments and policies</h2>
${htmlTable(ENVIRONMENT_HEADS, environmentFacts(run.scenario))}
</section>
<section id="summary">
<h2>Summary</h2>
${htmlTable(["", ...summary.heads], summary.rows)}
</section>
<section id="starvation">
<h2>Starvation and stalls</h2>
${starvationHtml(starvationSection(run.scenario, run.summary))}
</section>
<section id="charts">
<h2>Charts</h2>
${parts.charts.map(figure).join("\n")}
${notesList(parts.notes)}
</section>
<section id="assumptions">
<h2>Model assumptions</h2>
<ul>
${parts.assumptions.map((a) => `<li><strong>${escapeHtml(a.topic)}:</strong> ${escapeHtml(a.text)}</li>`).join("\n")}
</ul>
</section>
</main>
</body>
</html>
`;
}

function figure({ chart, svg }: RenderedChart): string {
  const labelled = svg.replace("<svg ", `<svg role="img" aria-label="${escapeHtml(chart.title)}" `);
  return `<figure id="chart-${chart.name}" class="chart">
${labelled}
<figcaption><strong>${escapeHtml(chart.title)}.</strong> ${escapeHtml(chart.caption)}</figcaption>
</figure>`;
}

function starvationHtml(section: StarvationSection): string {
  const paragraphs = section.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`);
  const environments = section.environments.map((env) =>
    [
      `<h3>${escapeHtml(env.label)}</h3>`,
      `<p>${escapeHtml(env.text)}</p>`,
      htmlTable(env.heads, env.rows),
      ...(env.more === null ? [] : [`<p class="more">${escapeHtml(env.more)}</p>`]),
    ].join("\n"),
  );
  return [...paragraphs, ...environments].join("\n");
}

function notesList(notes: readonly string[]): string {
  if (notes.length === 0) return "";
  return `<div class="notes">\n${notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join("\n")}\n</div>`;
}

const STYLE = `body { margin: 0; background: #f6f6f4; color: #1d1d1d; font: 15px/1.5 ${CHART_FONT}; }
main { max-width: 980px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.lede { color: #444; margin-top: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dt { color: #555; }
dd { margin: 0; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: #f0f0ee; }
tbody td:not(:first-child) { font-variant-numeric: tabular-nums; }
figure.chart { margin: 24px 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 14px; margin-top: 6px; }
.more { color: #444; font-size: 14px; }
.note { background: #fff6e0; border-left: 4px solid #f0a030; padding: 8px 12px; }
@media print { body { background: #fff; } main { padding: 0; } figure.chart { break-inside: avoid; } }`;
