import { resetSVGDefIds } from "vega";
import { assumptionsOf } from "./assumptions.js";
import type { Chart } from "./chart.js";
import { coldStartsChart } from "./charts/cold-starts.js";
import { comparisonChart } from "./charts/comparison.js";
import { costChart } from "./charts/cost.js";
import { replicasChart } from "./charts/replicas.js";
import { startedTasks, waitCdfChart } from "./charts/wait-cdf.js";
import { htmlReport, type RenderedChart } from "./html-report.js";
import { markdownReport } from "./markdown-report.js";
import { renderPng, renderSvg, type WarningSink } from "./render.js";
import type { SavedRun } from "./saved-run.js";

/** A file of the report, by its path inside the run's folder. */
export interface ReportFile {
  path: string;
  content: string | Uint8Array;
}

const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Every chart the run has data for, in the order the report shows them. */
export function chartsOf(run: SavedRun): Chart[] {
  const charts = [
    replicasChart(run),
    waitCdfChart(run),
    coldStartsChart(run),
    costChart(run),
    comparisonChart(run),
  ];
  return charts.filter((chart): chart is Chart => chart !== null);
}

/**
 * The whole report of a saved run: charts/NAME.vl.json, .svg and .png for every chart, then
 * report.html and report.md. The same run gives the same bytes: nothing depends on the clock,
 * the machine's fonts or an earlier render in the same process.
 */
export async function buildReport(run: SavedRun, onWarning: WarningSink): Promise<ReportFile[]> {
  // Vega numbers clip paths and gradients from a counter: restart it so ids depend on this
  // report alone, yet stay unique across the report's charts when they share one HTML page.
  resetSVGDefIds();

  const files: ReportFile[] = [];
  const rendered: RenderedChart[] = [];
  for (const chart of chartsOf(run)) {
    const spec = { $schema: VEGA_LITE_SCHEMA, ...chart.spec };
    const svg = await renderSvg(spec, (message) => onWarning(`chart ${chart.name}: ${message}`));
    files.push(
      { path: `charts/${chart.name}.vl.json`, content: `${JSON.stringify(spec, null, 2)}\n` },
      { path: `charts/${chart.name}.svg`, content: svg },
      { path: `charts/${chart.name}.png`, content: renderPng(svg) },
    );
    rendered.push({ chart, svg });
  }

  const parts = {
    run,
    assumptions: assumptionsOf(run.scenario, run.timeline),
    notes: notesOf(run),
  };
  files.push(
    { path: "report.html", content: htmlReport({ ...parts, charts: rendered }) },
    {
      path: "report.md",
      content: markdownReport({ ...parts, charts: rendered.map((r) => r.chart) }),
    },
  );
  return files;
}

/** What the report cannot show, and why. */
function notesOf(run: SavedRun): string[] {
  const notes: string[] = [];
  if (run.summary.endSeconds === 0) {
    notes.push("No task arrived in this run, so there is nothing over time to chart.");
  } else if (startedTasks(run) === 0) {
    notes.push("No task started in this run, so there is no wait-time distribution to chart.");
  }
  if (run.waits === null) {
    notes.push(
      "The wait-time distribution (CDF) is unavailable: it is counted from tasks.csv, which this run did not save (it ran with --no-tasks). The summary's wait percentiles are still there (exact for small runs, else within 0.1%).",
    );
  }
  return notes;
}
