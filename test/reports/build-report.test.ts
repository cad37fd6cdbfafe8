import { expect } from "chai";

import { buildReport, chartsOf, type ReportFile } from "../../reports/build-report.js";
import { SUMMARY_ROWS } from "../../reports/summary-rows.js";
import {
  fanoutSetUps,
  poolAndBaseline,
  removeSavedRuns,
  saveRun,
  type SavedFixture,
} from "./fixture.js";
import { env, inline, scenario } from "../helpers.js";

function text(files: ReportFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no ${path}`);
  return String(file.content);
}

describe("reports/build-report", () => {
  let both: SavedFixture;
  let files: ReportFile[];

  before(async () => {
    both = await saveRun(poolAndBaseline);
    files = await buildReport(both.run, () => {});
  });
  after(removeSavedRuns);

  it("buildReport(run) writes NAME.vl.json, NAME.svg and NAME.png under charts/ for each chart, then the pages", () => {
    const expected = chartsOf(both.run).flatMap((chart) =>
      ["vl.json", "svg", "png"].map((ext) => `charts/${chart.name}.${ext}`),
    );
    expect(files.map((f) => f.path)).to.deep.equal([...expected, "report.html", "report.md"]);
  });

  it("buildReport(run) gives the same bytes every time, with no date or time in them", async () => {
    const again = await buildReport(both.run, () => {});

    files.forEach((file, index) => {
      expect(
        Buffer.from(again[index].content).equals(Buffer.from(file.content)),
        file.path,
      ).to.equal(true);
    });
    for (const file of files.filter((f) => typeof f.content === "string")) {
      expect(String(file.content), file.path).to.not.match(/\b20\d\d-\d\d-\d\d/);
    }
  });

  it("each NAME.vl.json is a Vega-Lite v6 spec with a title", () => {
    for (const chart of chartsOf(both.run)) {
      const spec = JSON.parse(text(files, `charts/${chart.name}.vl.json`));
      expect(spec.$schema).to.equal("https://vega.github.io/schema/vega-lite/v6.json");
      expect(spec.title.text).to.be.a("string");
    }
  });

  describe("report.html", () => {
    it("is one page with no script and no reference to anything outside it", () => {
      const html = text(files, "report.html");

      expect(html).to.match(/^<!doctype html>/);
      expect(html).to.include(
        `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`,
      );
      expect(html).to.not.match(/<script|<link|<img|<iframe|@import|url\(http/i);
      expect(html).to.not.match(/(src|href)="(?!#)/);
    });

    it("shows the scenario, each environment's policy, the summary, every chart and the assumptions", () => {
      const html = text(files, "report.html");

      expect(html).to.include("pool-and-baseline");
      expect(html).to.include("replicas 1\u20134, concurrency 1, idle_ttl 2m, scaledown_ttl 1m");
      expect(html).to.include("no reuse: a fresh container per task");
      for (const [label] of SUMMARY_ROWS) expect(html).to.include(`<td>${label}</td>`);
      for (const chart of chartsOf(both.run))
        expect(html).to.include(`<figure id="chart-${chart.name}"`);
      expect(html).to.include("<strong>Control period:</strong> 5s.");
      expect(html).to.include("lognormal(median 20s, p99 90s)");
      expect(html).to.include("<strong>Cost rate (api):</strong> 0.5 per replica-hour");
    });

    it("escapes names from the scenario", async () => {
      const odd = await saveRun(
        scenario([env("a<b>", "none")], [inline([{ arrival: 0, duration: 1, env: "a<b>" }])], {
          name: `x <script>alert("y")</script>`,
        }),
      );
      const html = text(await buildReport(odd.run, () => {}), "report.html");

      expect(html).to.not.include("<script>");
      expect(html).to.include("x &lt;script&gt;alert(&quot;y&quot;)&lt;/script&gt;");
      expect(html).to.include("<td>a&lt;b&gt;</td>");
    });
  });

  describe("report.md", () => {
    it("has the summary table and a link to each chart's PNG", () => {
      const markdown = text(files, "report.md");

      expect(markdown).to.include("|  | api | baseline | total |");
      for (const [label] of SUMMARY_ROWS) expect(markdown).to.include(`| ${label} |`);
      for (const chart of chartsOf(both.run)) {
        expect(markdown).to.include(`](charts/${chart.name}.png)`);
      }
    });
  });

  it("both pages describe each workload's fan-out, timeout and stream from scenario.json", async () => {
    const fanned = await saveRun(fanoutSetUps);
    const pages = await buildReport(fanned.run, () => {});
    const driver =
      'Poisson arrivals at 0.01/s to driver, sync parent tasks: constant(10s) of setup, then a fan-out of 3 sync children into workers (exponential(mean 30s) each; 1 wave, depth 1), waited for while the parent holds its slot, then a 5s tail; timeout 5m: a parent or child not done by then fails; stream "parents": identical tasks to workloads 1, 2';

    expect(text(pages, "report.md")).to.include(`- **workload 3:** ${driver}\n`);
    expect(text(pages, "report.html")).to.include(
      `<dt>workload 3</dt><dd>${driver.replace(/"/g, "&quot;")}</dd>`,
    );
    expect(text(pages, "report.md")).to.include("to async, async parent tasks:");
  });

  it("a run without tasks.csv says the wait CDF is unavailable, in both pages", async () => {
    const noTasks = await saveRun(poolAndBaseline, { tasks: false });
    const pages = await buildReport(noTasks.run, () => {});

    expect(pages.map((f) => f.path)).to.not.include("charts/wait-cdf.svg");
    for (const page of ["report.html", "report.md"]) {
      expect(text(pages, page)).to.match(
        /wait-time distribution \(CDF\) is unavailable.*--no-tasks/,
      );
    }
  });

  it("a run in which no task arrived draws the cost chart only, warns of nothing, and says why", async () => {
    const empty = await saveRun(scenario([env("idle", { replicas: [1, 2] })], [inline([])]));
    const pages = await buildReport(empty.run, () => {});

    expect(empty.warnings).to.deep.equal([]);
    expect(chartsOf(empty.run).map((chart) => chart.name)).to.deep.equal(["cost"]);
    expect(text(pages, "report.html")).to.include("No task arrived in this run");
  });
});
