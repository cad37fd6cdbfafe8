import { expect } from "chai";
import { readFileSync } from "node:fs";

import { buildReport, chartsOf, type ReportFile } from "../../reports/build-report.js";
import { fontFiles } from "../../reports/font.js";
import { MAX_EVENTS_LISTED } from "../../reports/starvation-facts.js";
import { SUMMARY_ROWS } from "../../reports/summary-rows.js";
import { formatDuration } from "../../sim/duration.js";
import { decodePng, svgSize } from "./png.js";
import { PNG_SCALE } from "../../reports/render.js";
import {
  driverAndWorkers,
  fanoutSetUps,
  fortyEnvironments,
  poolAndBaseline,
  removeSavedRuns,
  saveRun,
  stalledRun,
  type SavedFixture,
} from "./fixture.js";
import { env, inline, scenario } from "../helpers.js";

/** Bounds on a chart's PNG, whatever the count of environments (PNG_SCALE times the SVG). */
const MAX_PNG = { width: 2600, height: 8000 };

function bytes(files: ReportFile[], path: string): Uint8Array {
  const file = files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no ${path}`);
  return file.content as Uint8Array;
}

function text(files: ReportFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no ${path}`);
  return String(file.content);
}

describe("reports/build-report", () => {
  let both: SavedFixture;
  let files: ReportFile[];
  let fanned: SavedFixture;

  before(async () => {
    both = await saveRun(poolAndBaseline);
    files = await buildReport(both.run, () => {});
    fanned = await saveRun(fanoutSetUps);
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

  it("each charts/NAME.png decodes, in 8-bit RGBA, at PNG_SCALE times its SVG's width and height", async () => {
    const fannedFiles = await buildReport(fanned.run, () => {});
    for (const pages of [files, fannedFiles]) {
      const charts = pages.filter((file) => file.path.endsWith(".svg"));
      expect(charts.length).to.be.greaterThan(3);
      for (const svg of charts) {
        const size = svgSize(String(svg.content));
        const png = decodePng(bytes(pages, svg.path.replace(/\.svg$/, ".png")));

        expect(png, svg.path).to.deep.equal({
          width: size.width * PNG_SCALE,
          height: size.height * PNG_SCALE,
          bitDepth: 8,
          colorType: 6,
        });
      }
    }
  });

  it(`with 40 environments, every PNG stays within ${MAX_PNG.width} x ${MAX_PNG.height} px`, async () => {
    const forty = await saveRun(fortyEnvironments);
    const pngs = (await buildReport(forty.run, () => {})).filter((f) => f.path.endsWith(".png"));

    expect(pngs.map((f) => f.path)).to.include.members([
      "charts/replicas.png",
      "charts/cold-starts.png",
    ]);
    for (const file of pngs) {
      const { width, height } = decodePng(file.content as Uint8Array);
      expect(width, file.path).to.be.at.most(MAX_PNG.width);
      expect(height, file.path).to.be.at.most(MAX_PNG.height);
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
        `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"`,
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

    it("embeds the charts' font, DejaVu Sans regular and bold, whole, as data: URLs", () => {
      const html = text(files, "report.html");
      const faces = [
        ...html.matchAll(
          /@font-face \{ font-family: "DejaVu Sans"; font-weight: (\w+); font-style: normal; src: url\(data:font\/ttf;base64,([A-Za-z0-9+/=]+)\) format\("truetype"\); \}/g,
        ),
      ];

      expect(faces.map((face) => face[1])).to.deep.equal(["normal", "bold"]);
      fontFiles().forEach((path, index) => {
        expect(Buffer.from(faces[index][2], "base64").equals(readFileSync(path)), path).to.equal(
          true,
        );
      });
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
    const pages = await buildReport(fanned.run, () => {});
    const driver =
      'Poisson arrivals at 0.01/s to driver, sync parent tasks: constant(10s) of setup, then a fan-out of 3 sync children into workers (exponential(mean 30s) each; 1 wave, depth 1), waited for while the parent holds its slot, then a 5s tail; timeout 5m: a parent or child not done by then fails; stream "parents": identical tasks to workloads 1, 2';

    expect(text(pages, "report.md")).to.include(`- **workload 3:** ${driver}\n`);
    expect(text(pages, "report.html")).to.include(
      `<dt>workload 3</dt><dd>${driver.replace(/"/g, "&quot;")}</dd>`,
    );
    expect(text(pages, "report.md")).to.include("to async, async parent tasks:");
  });

  describe("the Starvation and stalls section", () => {
    it(`lists each starved environment's first ${MAX_EVENTS_LISTED} events from summary.json (time, slots, parents, children), then how many more`, async () => {
      const events = fanned.run.summary.environments.starving.starvation;
      const pages = await buildReport(fanned.run, () => {});
      const markdown = text(pages, "report.md");
      const html = text(pages, "report.html");

      expect(events.length).to.be.greaterThan(MAX_EVENTS_LISTED);
      for (const [index, event] of events.entries()) {
        const row = `(${event.at.toFixed(3)} s) | ${event.slots} | ${event.parents.join(", ")} | ${event.children.join(", ")} |`;
        expect(markdown.includes(row), `event ${index}`).to.equal(index < MAX_EVENTS_LISTED);
      }
      const more = `and ${events.length - MAX_EVENTS_LISTED} more events; summary.json lists every one.`;
      expect(markdown).to.include(`\n${more}\n`);
      expect(html).to.include(`<p class="more">${more}</p>`);
      for (const name of ["async", "driver", "workers"]) {
        expect(markdown, name).to.not.include(`### ${name} (`);
      }
    });

    it("says why in plain words, with the remedies, and each starved environment's failed and cancelled tasks", async () => {
      const { failed, cancelled } = fanned.run.summary.environments.starving.tasks;
      const pages = await buildReport(fanned.run, () => {});

      for (const page of ["report.md", "report.html"]) {
        const section = text(pages, page).split(/Starvation and stalls/)[1];
        expect(section, page).to.include(
          "every slot the environment can ever have (max replicas × concurrency) was held by parent tasks waiting for their children, and those children were queued in the same environment",
        );
        expect(section, page).to.match(
          /Remedies: more replicas .*higher concurrency, for async tasks.*the parent in another environment/,
        );
        expect(section, page).to.include(`${failed} failed (${cancelled} of them cancelled`);
        expect(section, page).to.not.include("stalled");
      }
    });

    it("says when the run stalled (summary.json stalledAt) and which tasks it left unfinished", async () => {
      const stalled = await saveRun(stalledRun);
      const { stalledAt } = stalled.run.summary;
      const { unfinished } = stalled.run.summary.environments.solo.tasks;
      const markdown = text(await buildReport(stalled.run, () => {}), "report.md");

      expect(stalledAt).to.be.a("number");
      expect(unfinished).to.be.greaterThan(0);
      expect(markdown).to.include(
        `The run stalled at ${formatDuration(Math.round(stalledAt as number))} (${(stalledAt as number).toFixed(3)} s)`,
      );
      expect(markdown).to.include(`reported as unfinished (solo ${unfinished})`);
    });

    it("says so in one line when nothing starved or stalled", () => {
      for (const page of ["report.md", "report.html"]) {
        const section = text(files, page)
          .split(/Starvation and stalls/)[1]
          .split(/Charts/)[0];
        expect(section.replace(/<[^>]+>|#/g, "").trim()).to.equal(
          "No environment starved, and the run did not stall.",
        );
      }
    });
  });

  it("buildReport(run) of one set-up (a driver fanning out to workers) has no comparison chart, figure or link", async () => {
    const single = await saveRun(driverAndWorkers);
    const pages = await buildReport(single.run, () => {});

    expect(single.run.scenario.environments).to.have.length(2);
    expect(pages.map((f) => f.path).filter((path) => path.includes("comparison"))).to.deep.equal(
      [],
    );
    expect(text(pages, "report.html")).to.not.match(/comparison|side by side/i);
    expect(text(pages, "report.md")).to.not.match(/comparison|side by side/i);
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
