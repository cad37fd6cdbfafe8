import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

import { chartsOf } from "../../reports/build-report.js";
import type { Chart } from "../../reports/chart.js";
import { renderSvg } from "../../reports/render.js";
import { START_KIND_LABELS } from "../../reports/charts/wait-cdf.js";
import { chooseTimeUnit } from "../../reports/time-unit.js";
import { MAX_TIME_BUCKETS } from "../../reports/timeline-buckets.js";
import { START_KINDS } from "../../reports/wait-histogram.js";
import {
  oneDay,
  poolAndBaseline,
  removeSavedRuns,
  saveRun,
  wholeSeconds,
  type SavedFixture,
} from "./fixture.js";

type Row = Record<string, number | string>;

function valuesOf(chart: Chart): Row[] {
  return (chart.spec as unknown as { data: { values: Row[] } }).data.values;
}

function chartNamed(fixture: SavedFixture, name: string): Chart {
  const chart = chartsOf(fixture.run).find((c) => c.name === name);
  if (chart === undefined) throw new Error(`no chart ${name}`);
  return chart;
}

async function csvRows(path: string): Promise<Row[]> {
  return parse(await readFile(path), { columns: true, cast: true }) as Row[];
}

const max = (values: number[]): number => values.reduce((m, v) => Math.max(m, v), 0);
const sum = (values: number[]): number => values.reduce((s, v) => s + v, 0);

describe("reports/charts", () => {
  let both: SavedFixture;
  let exact: SavedFixture;

  before(async () => {
    both = await saveRun(poolAndBaseline);
    exact = await saveRun(wholeSeconds);
  });
  after(removeSavedRuns);

  describe("chartsOf(run)", () => {
    it("draws replicas, wait-cdf, cold-starts, cost and comparison for two environments", () => {
      expect(chartsOf(both.run).map((c) => c.name)).to.deep.equal([
        "replicas",
        "wait-cdf",
        "cold-starts",
        "cost",
        "comparison",
      ]);
    });

    it("leaves out the comparison for one environment", () => {
      expect(chartsOf(exact.run).map((c) => c.name)).to.not.include("comparison");
    });

    it("every chart has a title, a caption and axis titles that give units", () => {
      for (const chart of chartsOf(both.run)) {
        const text = JSON.stringify(chart.spec);
        expect(chart.title, chart.name).to.not.equal("");
        expect(chart.caption.length, chart.name).to.be.greaterThan(40);
        expect(text, chart.name).to.match(/"title":\{"text":"[^"]+"/);
        expect(text, chart.name).to.match(/\((s|min|h|price units|s, log scale)\)/);
      }
    });

    it("every chart compiles with vega-lite and renders with vega to SVG without a warning", async () => {
      for (const fixture of [both, exact]) {
        for (const chart of chartsOf(fixture.run)) {
          const warnings: string[] = [];
          const svg = await renderSvg(chart.spec, (message) => warnings.push(message));

          expect(warnings, chart.name).to.deep.equal([]);
          expect(svg, chart.name).to.match(/^<svg [^>]*width="\d+" height="\d+"/);
        }
      }
      expect(both.warnings).to.deep.equal([]);
    });
  });

  describe("replicasChart(run)", () => {
    it("the peak series reaches each environment's replicas.peak, as the timeline's peakReplicas does", async () => {
      const timeline = await csvRows(join(both.dir, "timeline.csv"));
      const values = valuesOf(chartNamed(both, "replicas"));

      for (const name of ["api", "baseline"]) {
        const peakInTimeline = max(
          timeline.filter((r) => r.env === name).map((r) => Number(r.peakReplicas)),
        );
        const peakInChart = max(
          values.filter((r) => r.env === name).map((r) => Number(r.peakReplicas)),
        );

        expect(peakInChart, name).to.equal(peakInTimeline);
        expect(peakInChart, name).to.equal(both.run.summary.environments[name].replicas.peak);
      }
    });

    it("with every change on a whole second and 1 s steps, the stacked means peak at replicas.peak", () => {
      const values = valuesOf(chartNamed(exact, "replicas"));
      const stacked = values.map((r) => Number(r.busy) + Number(r.idle) + Number(r.starting));

      expect(max(stacked)).to.be.closeTo(exact.run.summary.environments.jobs.replicas.peak, 1e-9);
    });

    it("the stacked areas integrate to the summary's replica-seconds by state", () => {
      for (const fixture of [both, exact]) {
        const values = valuesOf(chartNamed(fixture, "replicas"));
        const unitSeconds = chooseTimeUnit(fixture.run.summary.endSeconds).seconds;
        for (const [name, measures] of Object.entries(fixture.run.summary.environments)) {
          // Each row holds until the next; the last row only closes the last step.
          const rows = values.filter((r) => r.env === name);
          const seconds = (field: string): number =>
            sum(
              rows
                .slice(0, -1)
                .map(
                  (r, i) => Number(r[field]) * (Number(rows[i + 1].t) - Number(r.t)) * unitSeconds,
                ),
            );

          expect(seconds("busy"), `${name} busy`).to.be.closeTo(measures.replicaSeconds.busy, 0.01);
          expect(seconds("idle"), `${name} idle`).to.be.closeTo(measures.replicaSeconds.idle, 0.01);
          expect(seconds("starting"), `${name} starting`).to.be.closeTo(
            measures.replicaSeconds.starting,
            0.01,
          );
        }
      }
    });

    it("a day of one-second steps is cut to at most MAX_TIME_BUCKETS points and a small spec", async () => {
      const day = await saveRun(oneDay, { tasks: false });
      const chart = chartNamed(day, "replicas");
      const size = JSON.stringify(chart.spec).length;

      expect(valuesOf(chart).length).to.be.at.most(MAX_TIME_BUCKETS + 1);
      expect(day.run.timeline.bucketSeconds).to.equal(600);
      expect(size).to.be.below(100_000);
      for (const c of chartsOf(day.run)) {
        expect(JSON.stringify(c.spec).length, c.name).to.be.below(100_000);
      }
    });
  });

  describe("coldStartsChart(run)", () => {
    it("its bars add up to the summary's replica cold starts and environment creations", () => {
      const values = valuesOf(chartNamed(both, "cold-starts"));
      const labelled = (name: string): Row[] =>
        values.filter((r) => String(r.env).startsWith(`${name} (`));

      for (const [name, measures] of Object.entries(both.run.summary.environments)) {
        expect(sum(labelled(name).map((r) => Number(r.replicaStarts))), name).to.equal(
          measures.coldStarts.replicas,
        );
        expect(sum(labelled(name).map((r) => Number(r.envCreations))), name).to.equal(
          measures.coldStarts.environments,
        );
      }
    });
  });

  describe("waitCdfChart(run)", () => {
    it("each start kind's curve ends at 1 and has a curve only when such tasks started", () => {
      const values = valuesOf(chartNamed(both, "wait-cdf"));
      for (const [name, measures] of Object.entries(both.run.summary.environments)) {
        for (const kind of START_KINDS) {
          const points = values.filter(
            (r) => String(r.env).startsWith(`${name} (`) && r.kind === START_KIND_LABELS[kind],
          );
          expect(points.length > 0, `${name} ${kind}`).to.equal(measures.tasksByStart[kind] > 0);
          if (points.length > 0) expect(points.at(-1)?.share).to.equal(1);
        }
      }
    });

    it("the share at each bin edge is the share of tasks.csv waits at most that edge", async () => {
      const tasks = await csvRows(join(both.dir, "tasks.csv"));
      const values = valuesOf(chartNamed(both, "wait-cdf"));

      for (const point of values.filter((r) => String(r.env).startsWith("baseline ("))) {
        const cold = tasks.filter((t) => t.env === "baseline" && t.kind === "cold");
        const atMost = cold.filter((t) => Number(t.wait) <= Number(point.wait) * (1 + 1e-9));
        const edgeIsRounded = Number(point.wait) !== 0.001;
        const expected = atMost.length / cold.length;

        // Edges are printed to 4 significant digits: a wait right at an edge may fall either side.
        expect(Number(point.share)).to.be.closeTo(expected, edgeIsRounded ? 2 / cold.length : 0);
      }
    });

    it("is left out when the run has no tasks.csv", async () => {
      const noTasks = await saveRun(poolAndBaseline, { tasks: false });
      expect(noTasks.run.waits).to.equal(null);
      expect(chartsOf(noTasks.run).map((c) => c.name)).to.not.include("wait-cdf");
    });
  });

  describe("costChart(run) and comparisonChart(run)", () => {
    it("the cost bars are the summary's cost split, and the states add up to the total", () => {
      const values = valuesOf(chartNamed(both, "cost"));
      for (const [name, measures] of Object.entries(both.run.summary.environments)) {
        const rows = values.filter((r) => String(r.env).startsWith(`${name} (`));
        const costs = rows.map((r) => Number(r.cost));

        expect(costs).to.deep.equal([
          measures.cost.busy,
          measures.cost.idle,
          measures.cost.starting,
          measures.cost.idleTail,
        ]);
        expect(costs[0] + costs[1] + costs[2]).to.be.closeTo(measures.cost.total, 1e-5);
      }
    });

    it("the comparison shows each environment's p50 and p99 wait and total cost from summary.json", () => {
      const values = valuesOf(chartNamed(both, "comparison"));
      for (const [name, measures] of Object.entries(both.run.summary.environments)) {
        const rows = values.filter((r) => String(r.env).startsWith(`${name} (`));
        expect(rows.map((r) => r.value)).to.deep.equal([
          measures.wait.p50,
          measures.wait.p99,
          measures.cost.total,
        ]);
      }
    });

    it("labels each environment with its policy", () => {
      const labels = valuesOf(chartNamed(both, "comparison")).map((r) => r.env);
      expect([...new Set(labels)]).to.deep.equal([
        "api (reuse, 1\u20134 replicas)",
        "baseline (no reuse)",
      ]);
    });
  });
});
