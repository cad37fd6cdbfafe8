import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

import { chartsOf } from "../../reports/build-report.js";
import { COLORS, type Chart } from "../../reports/chart.js";
import { comparisonChart } from "../../reports/charts/comparison.js";
import { renderSvg } from "../../reports/render.js";
import { START_KIND_LABELS } from "../../reports/charts/wait-cdf.js";
import { chooseTimeUnit } from "../../reports/time-unit.js";
import { MAX_TIME_BUCKETS } from "../../reports/timeline-buckets.js";
import { START_KINDS, WAIT_FLOOR_SECONDS } from "../../reports/wait-histogram.js";
import type { StartKind } from "../../sim/task.js";
import { drawnAxes } from "./axes.js";
import { drawnTexts, laidOut } from "./scenegraph.js";
import {
  ENVIRONMENT_COLORS,
  MAX_CHARTED_ENVIRONMENTS,
  OTHER_COLOR,
  otherLabel,
} from "../../reports/charted-environments.js";
import { deltaE76, labOf } from "./lab.js";
import {
  driverAndWorkers,
  fanoutSetUps,
  fortyEnvironments,
  oneDay,
  poolAndBaseline,
  removeSavedRuns,
  saveRun,
  wholeSeconds,
  type SavedFixture,
} from "./fixture.js";

type Row = Record<string, number | string>;

/** A view of a spec with what these tests read: its mark, encodings and children. */
interface Layer {
  mark?: string | { type: string };
  encoding?: Record<string, unknown>;
  layer?: Layer[];
  vconcat?: Layer[];
  hconcat?: Layer[];
  concat?: Layer[];
  spec?: Layer;
}

/** Every view with a mark, at any depth of layers, concatenations and facets. */
function layersOf(spec: unknown): Layer[] {
  const view = spec as Layer;
  const children = [
    ...(view.layer ?? []),
    ...(view.vconcat ?? []),
    ...(view.hconcat ?? []),
    ...(view.concat ?? []),
    ...(view.spec === undefined ? [] : [view.spec]),
  ];
  return [...(view.mark === undefined ? [] : [view]), ...children.flatMap(layersOf)];
}

function markType(layer: Layer): string | undefined {
  return typeof layer.mark === "string" ? layer.mark : layer.mark?.type;
}

/** The points of one environment's curve for one start kind, in drawing order. */
function curveOf(values: Row[], env: string, kind: StartKind): Row[] {
  return values.filter(
    (r) =>
      String(r.env).startsWith(`${env} (`) && String(r.kind).startsWith(START_KIND_LABELS[kind]),
  );
}

/** An axis title that ends in its unit: "time (min)", "wait (s, log scale)", "(% of tasks)". */
const AXIS_UNIT =
  /\((s|min|h|replicas|tasks|environments|price units|% of [a-z ]+)(, log scale)?\)$/;

function valuesOf(chart: Chart): Row[] {
  return (chart.spec as unknown as { data: { values: Row[] } }).data.values;
}

/** The comparison's data, by panel: every line of the grid, in order. */
function cellValues(chart: Chart): { tasks: Row[]; wait: Row[]; cost: Row[] } {
  const cells = (chart.spec as unknown as { concat: { data: { values: Row[] } }[] }).concat;
  const column = (index: number): Row[] =>
    cells.filter((_, at) => at % 3 === index).flatMap((cell) => cell.data.values);
  return { tasks: column(0), wait: column(1), cost: column(2) };
}

/** The set-up names that head the comparison's lines. */
function cellTitles(chart: Chart): string[] {
  const cells = (chart.spec as unknown as { concat: { title?: { text: string } }[] }).concat;
  return cells.flatMap((cell) => (cell.title === undefined ? [] : [cell.title.text]));
}

function chartNamed(fixture: SavedFixture, name: string): Chart {
  const chart = chartsOf(fixture.run).find((c) => c.name === name);
  if (chart === undefined) throw new Error(`no chart ${name}`);
  return chart;
}

async function csvRows(path: string): Promise<Row[]> {
  return parse(await readFile(path), { columns: true, cast: true }) as Row[];
}

/** Two colours of the charts differ by more than this (CIE76 deltaE): a clear step, not a shade. */
const MIN_COLOR_DISTANCE = 15;

/**
 * The time integral of one field of the replicas chart's rows, in seconds: each row holds until
 * the next, and the last row only closes the last step.
 */
function stepIntegral(rows: Row[], field: string, unitSeconds: number): number {
  const steps = rows
    .slice(0, -1)
    .map((r, i) => Number(r[field]) * (Number(rows[i + 1].t) - Number(r.t)) * unitSeconds);
  return sum(steps);
}

const max = (values: number[]): number => values.reduce((m, v) => Math.max(m, v), 0);
const sum = (values: number[]): number => values.reduce((s, v) => s + v, 0);

describe("reports/charts", () => {
  let both: SavedFixture;
  let exact: SavedFixture;
  let fanned: SavedFixture;
  let forty: SavedFixture;
  let day: SavedFixture;

  before(async () => {
    both = await saveRun(poolAndBaseline);
    exact = await saveRun(wholeSeconds);
    fanned = await saveRun(fanoutSetUps);
    forty = await saveRun(fortyEnvironments);
    day = await saveRun(oneDay);
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

    it("leaves out the comparison for two environments that form one set-up", async () => {
      const single = await saveRun(driverAndWorkers);
      const names = chartsOf(single.run).map((c) => c.name);

      expect(single.run.scenario.environments.map((env) => env.name)).to.deep.equal([
        "driver",
        "workers",
      ]);
      expect(names).to.include("replicas");
      expect(names).to.not.include("comparison");
    });

    it("every chart has a title and a caption", () => {
      for (const chart of chartsOf(both.run)) {
        const text = JSON.stringify(chart.spec);
        expect(chart.title, chart.name).to.not.equal("");
        expect(chart.caption.length, chart.name).to.be.greaterThan(40);
        expect(text, chart.name).to.match(/"title":\{"text":"[^"]+"/);
      }
    });

    it("every quantitative axis Vega draws has a title that ends in its unit", async () => {
      for (const fixture of [both, exact, fanned]) {
        for (const chart of chartsOf(fixture.run)) {
          const axes = await drawnAxes(chart.spec);
          const quantitative = axes.filter((axis) => !["band", "point"].includes(axis.scaleType));

          expect(quantitative.length, chart.name).to.be.greaterThan(1);
          for (const axis of quantitative) {
            expect(
              axis.title,
              `${chart.name}: ${axis.orient} axis ${axis.labels.join(" ")}`,
            ).to.match(AXIS_UNIT);
          }
        }
      }
    });

    it("axes that count replicas, tasks or environments label whole numbers only, even up to 1", async () => {
      const starving = fanned.run.summary.environments.starving;
      expect(starving.replicas.peak).to.equal(1);

      for (const name of ["replicas", "cold-starts"]) {
        const axes = await drawnAxes(chartNamed(fanned, name).spec);
        const counts = axes.filter((axis) =>
          /\((replicas|tasks|environments)\)$/.test(axis.title ?? ""),
        );

        expect(counts.length, name).to.be.greaterThan(1);
        for (const axis of counts) {
          expect(
            axis.labels.every((label) => /^\d+$/.test(label)),
            `${name}: ${axis.labels.join(" ")}`,
          ).to.equal(true);
        }
      }
    });

    it("COLORS, ENVIRONMENT_COLORS and OTHER_COLOR: every two differ by more than deltaE 15 (CIE76), so no environment looks like a replica state", () => {
      const palette: [string, string][] = [
        ...Object.entries(COLORS),
        ...ENVIRONMENT_COLORS.map((color, index): [string, string] => [
          `environment ${index}`,
          color,
        ]),
        ["other", OTHER_COLOR],
      ];
      const close = palette.flatMap(([name, color], index) =>
        palette
          .slice(index + 1)
          .filter(([, other]) => deltaE76(color, other) <= MIN_COLOR_DISTANCE)
          .map(([otherName, other]) => `${name} ${color} ~ ${otherName} ${other}`),
      );

      expect(palette).to.have.length(Object.keys(COLORS).length + MAX_CHARTED_ENVIRONMENTS + 1);
      expect(close).to.deep.equal([]);
    });

    it("labOf(hex) gives the CIELAB (D65) of sRGB white, black, red and blue as published; deltaE76 finds two greys too close", () => {
      // The values widely published for the sRGB primaries under the D65 white.
      const published: [string, number[]][] = [
        ["#ffffff", [100, 0, 0]],
        ["#000000", [0, 0, 0]],
        ["#ff0000", [53.2408, 80.0925, 67.2032]],
        ["#0000ff", [32.297, 79.1875, -107.8602]],
      ];
      for (const [hex, lab] of published) {
        labOf(hex).forEach((value, axis) =>
          expect(value, `${hex}[${axis}]`).to.be.closeTo(lab[axis], 0.01),
        );
      }
      expect(deltaE76("#5f6b7a", "#5a5a5a")).to.be.below(MIN_COLOR_DISTANCE);
    });

    it("every chart keeps the labels it sets beside its marks inside their panel", async () => {
      for (const fixture of [both, exact, fanned]) {
        for (const chart of chartsOf(fixture.run)) {
          const labels = (await drawnTexts(chart.spec)).filter((t) => t.role === "mark");
          for (const label of labels) {
            const where = `${chart.name}: "${label.text}" at ${label.left}..${label.right}`;
            expect(label.left, where).to.be.at.least(label.groupLeft - 0.5);
            expect(label.right, where).to.be.at.most(label.groupRight + 0.5);
          }
        }
      }
    });

    it("panel titles start at the left edge of their panels, one under another", async () => {
      for (const name of ["replicas", "cold-starts", "cost"]) {
        const chart = chartNamed(fanned, name);
        const top = (chart.spec.title as { text: string }).text;
        const titles = (await drawnTexts(chart.spec)).filter(
          (t) => t.role === "title-text" && t.text !== top,
        );

        expect(titles.length, name).to.be.at.least(2);
        for (const title of titles) {
          expect(title.left, `${name}: ${title.text}`).to.be.closeTo(title.groupLeft, 0.5);
          expect(title.left, `${name}: ${title.text}`).to.be.closeTo(titles[0].left, 0.5);
        }
      }
    });

    it("every chart of every fixture compiles and renders to SVG without a warning: two environments, whole seconds, fan-out with failed rows, 'other' of 40, a day in hours", async () => {
      const fixtures = { both, exact, fanned, forty, day };
      expect(chooseTimeUnit(day.run.summary.endSeconds).name).to.equal("h");
      expect(fanned.run.summary.total.tasks.failed).to.be.greaterThan(0);

      for (const [name, fixture] of Object.entries(fixtures)) {
        for (const chart of chartsOf(fixture.run)) {
          const warnings: string[] = [];
          const svg = await renderSvg(chart.spec, (message) => warnings.push(message));

          expect(warnings, `${name}: ${chart.name}`).to.deep.equal([]);
          expect(svg, `${name}: ${chart.name}`).to.match(/^<svg [^>]*width="\d+" height="\d+"/);
        }
      }
    });

    it("runScenario(s, {report}) warns of nothing but what the same run warns of without the report", async () => {
      const scenarios = {
        both: poolAndBaseline,
        exact: wholeSeconds,
        fanned: fanoutSetUps,
        forty: fortyEnvironments,
        day: oneDay,
      };
      const fixtures: Record<string, SavedFixture> = { both, exact, fanned, forty, day };
      expect(fanned.warnings.length, "the fan-out run warns of its starvation").to.be.greaterThan(
        0,
      );

      for (const [name, s] of Object.entries(scenarios)) {
        const plain = await saveRun(s, { report: false });
        expect(fixtures[name].warnings, name).to.deep.equal(plain.warnings);
      }
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

    it('the replicas axis title names the mean by state and the peak; for "other", which has no peak line, the mean only', async () => {
      const titlesOf = async (fixture: SavedFixture): Promise<(string | null)[]> =>
        (await drawnAxes(chartNamed(fixture, "replicas").spec))
          .filter((axis) => axis.orient === "left" && /\(replicas\)$/.test(axis.title ?? ""))
          .map((axis) => axis.title);

      expect(await titlesOf(both)).to.deep.equal([
        "mean by state and peak (replicas)",
        "mean by state and peak (replicas)",
      ]);
      const titles = await titlesOf(forty);
      expect(titles).to.have.length(MAX_CHARTED_ENVIRONMENTS + 1);
      expect(titles.at(-1)).to.equal("mean by state (replicas)");
    });

    it("the waiting series match timeline.csv: the peak is its largest peakWaiting, the mean integrates to its waiting and to summary meanWaiting x the run's length", async () => {
      for (const fixture of [both, exact, fanned, day]) {
        const timeline = await csvRows(join(fixture.dir, "timeline.csv"));
        const values = valuesOf(chartNamed(fixture, "replicas"));
        const { endSeconds } = fixture.run.summary;
        const unitSeconds = chooseTimeUnit(endSeconds).seconds;

        for (const [name, measures] of Object.entries(fixture.run.summary.environments)) {
          const rows = values.filter((r) => r.env === name);
          const steps = timeline.filter((r) => r.env === name);
          // A timeline row holds until the next; the last until the run's end.
          const stepEnd = (i: number): number =>
            i + 1 < steps.length ? Number(steps[i + 1].time) : endSeconds;
          const waitingSeconds = sum(
            steps.map((r, i) => Number(r.waiting) * (stepEnd(i) - Number(r.time))),
          );
          const charted = stepIntegral(rows, "waiting", unitSeconds);
          // Means are written to 1e-6 (roundMicros) in the chart, timeline.csv and the summary:
          // each rounding moves an integral by up to 0.5e-6 x the run's length.
          const tolerance = 1e-6 * endSeconds + 1e-3;

          expect(max(rows.map((r) => Number(r.peakWaiting))), name).to.equal(
            max(steps.map((r) => Number(r.peakWaiting))),
          );
          expect(charted, name).to.be.closeTo(waitingSeconds, tolerance);
          expect(charted, name).to.be.closeTo(measures.meanWaiting * endSeconds, tolerance);
        }
        expect(max(values.map((r) => Number(r.peakWaiting)))).to.be.greaterThan(0);
      }
    });

    it("areas get a colour legend of squares; the two peak lines one dark colour, solid and dashed, in a legend of strokes", () => {
      const layers = layersOf(chartNamed(both, "replicas").spec);
      const areas = layers.filter((layer) => markType(layer) === "area");
      const lines = layers.filter((layer) => markType(layer) === "line");
      const legendOf = (layer: Layer, channel: string) =>
        (layer.encoding?.[channel] as { legend?: Record<string, unknown> } | undefined)?.legend;

      expect(areas.length).to.be.greaterThan(0);
      for (const area of areas) expect(legendOf(area, "color")?.symbolType).to.equal("square");
      expect(lines).to.have.length(2 * Object.keys(both.run.summary.environments).length);
      for (const line of lines) {
        expect(line.encoding?.color, "a line is not in the colour legend").to.equal(undefined);
        expect((line.mark as { color?: string }).color).to.equal(COLORS.peak);
        expect(legendOf(line, "strokeDash")?.symbolType).to.equal("stroke");
      }
      const dash = lines[0].encoding?.strokeDash as {
        scale: { domain: string[]; range: number[][] };
      };
      expect(dash.scale.domain).to.have.length(2);
      expect(dash.scale.range[0]).to.not.deep.equal(dash.scale.range[1]);
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
          const rows = values.filter((r) => r.env === name);
          const seconds = (field: string): number => stepIntegral(rows, field, unitSeconds);

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
    it("its title names cold starts and environment creations and the bucket's length in words; each panel has a title", () => {
      const chart = chartNamed(both, "cold-starts");
      const spec = chart.spec as unknown as { title: { text: string }; vconcat: Layer[] };
      const panels = spec.vconcat as unknown as { title?: { text: string } }[];

      expect(both.run.timeline.bucketSeconds).to.equal(10);
      expect(spec.title.text).to.equal(
        "Cold starts and environment creations per 10-second bucket",
      );
      expect(panels.map((panel) => panel.title?.text)).to.deep.equal([
        "Replicas started: each one a cold start",
        "Environments created from nothing: first task, or first after a teardown",
      ]);
    });

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
    it("each start kind's curve rises once from 0 and ends at 1, and is drawn only when such tasks started", () => {
      for (const fixture of [both, exact]) {
        const values = valuesOf(chartNamed(fixture, "wait-cdf"));
        for (const [name, measures] of Object.entries(fixture.run.summary.environments)) {
          for (const kind of START_KINDS) {
            const points = curveOf(values, name, kind);
            expect(points.length > 0, `${name} ${kind}`).to.equal(measures.tasksByStart[kind] > 0);
            if (points.length === 0) continue;
            expect(points.map((p) => p.share).filter((share) => share === 0)).to.have.length(1);
            expect(points[0].share).to.equal(0);
            expect(points.at(-1)?.share).to.equal(1);
          }
        }
      }
    });

    it("the share at each point is the share of tasks.csv waits at most that wait", async () => {
      for (const fixture of [both, exact]) {
        const tasks = await csvRows(join(fixture.dir, "tasks.csv"));
        const values = valuesOf(chartNamed(fixture, "wait-cdf"));
        for (const name of Object.keys(fixture.run.summary.environments)) {
          for (const kind of START_KINDS) {
            const started = tasks.filter((t) => t.env === name && t.kind === kind);
            for (const point of curveOf(values, name, kind)) {
              const wait = Number(point.wait);
              const atMost = started.filter(
                (t) => Math.max(Number(t.wait), WAIT_FLOOR_SECONDS) <= wait * (1 + 1e-9),
              );

              // Waits up to the floor count at the floor. Edges are printed to 4 significant
              // digits: a wait right at one may fall either side.
              expect(Number(point.share), `${name} ${kind} at ${wait}`).to.be.closeTo(
                atMost.length / started.length,
                2 / started.length,
              );
            }
          }
        }
      }
    });

    it("each curve ends at its kind's longest wait in tasks.csv, not at a bin edge; the longest is summary wait.max", async () => {
      for (const fixture of [both, exact]) {
        const tasks = await csvRows(join(fixture.dir, "tasks.csv"));
        const values = valuesOf(chartNamed(fixture, "wait-cdf"));
        for (const [name, measures] of Object.entries(fixture.run.summary.environments)) {
          const ends = START_KINDS.flatMap((kind) => {
            const points = curveOf(values, name, kind);
            if (points.length === 0) return [];
            const waits = tasks
              .filter((t) => t.env === name && t.kind === kind)
              .map((t) => Number(t.wait));
            const end = Number(points.at(-1)?.wait);
            expect(end, `${name} ${kind}`).to.equal(Math.max(max(waits), WAIT_FLOOR_SECONDS));
            return [end];
          });
          expect(max(ends), name).to.equal(Math.max(measures.wait.max, WAIT_FLOOR_SECONDS));
        }
      }
    });

    it("the log axis runs from a quarter decade below the shortest wait drawn to a quarter decade above the longest", () => {
      const chart = chartNamed(exact, "wait-cdf");
      const waits = valuesOf(chart).map((r) => Number(r.wait));
      const spec = chart.spec as unknown as { encoding: { x: { scale: { domain: number[] } } } };
      const [low, high] = spec.encoding.x.scale.domain;

      expect(Math.log10(Math.min(...waits) / low)).to.be.closeTo(0.25, 1e-3);
      expect(Math.log10(high / Math.max(...waits))).to.be.closeTo(0.25, 1e-3);
    });

    it("the legend counts each curve's tasks in a one-environment chart; each panel's title does with several", () => {
      const jobs = exact.run.summary.environments.jobs.tasksByStart;
      const oneLegend = [...new Set(valuesOf(chartNamed(exact, "wait-cdf")).map((r) => r.kind))];
      expect(oneLegend).to.deep.equal(
        START_KINDS.filter((kind) => jobs[kind] > 0).map(
          (kind) => `${START_KIND_LABELS[kind]} (${jobs[kind]} task${jobs[kind] === 1 ? "" : "s"})`,
        ),
      );

      const panels = [...new Set(valuesOf(chartNamed(both, "wait-cdf")).map((r) => r.env))];
      expect(panels).to.have.length(2);
      for (const [index, measures] of Object.values(both.run.summary.environments).entries()) {
        const { warm, queued, cold } = measures.tasksByStart;
        expect(panels[index]).to.match(
          new RegExp(`: ${warm} warm, ${queued} queued, ${cold} cold tasks$`),
        );
      }
    });

    it("the share axis reaches a little past 0% and 100%, so a curve along either stays off the frame", async () => {
      const chart = chartNamed(exact, "wait-cdf");
      const [atZero, atOne, [bottom, top]] = await laidOut(chart.spec, (view) => {
        const y = view.scale("y") as ((share: number) => number) & { range: () => number[] };
        return [y(0), y(1), y.range()];
      });

      expect(bottom - atZero).to.be.at.least(4);
      expect(atOne - top).to.be.at.least(4);
    });

    it("is left out when the run has no tasks.csv", async () => {
      const noTasks = await saveRun(poolAndBaseline, { tasks: false });
      expect(noTasks.run.waits).to.equal(null);
      expect(chartsOf(noTasks.run).map((c) => c.name)).to.not.include("wait-cdf");
    });
  });

  describe(`with more than MAX_CHARTED_ENVIRONMENTS (${MAX_CHARTED_ENVIRONMENTS}) environments`, () => {
    const other = otherLabel(40 - MAX_CHARTED_ENVIRONMENTS);

    it("each chart draws the ones that cost most, in the scenario's order, then one 'other' adding up the rest", () => {
      const envs = forty.run.summary.environments;
      const byCost = Object.keys(envs).sort((a, b) => envs[b].cost.total - envs[a].cost.total);
      const top = Object.keys(envs).filter((name) =>
        byCost.slice(0, MAX_CHARTED_ENVIRONMENTS).includes(name),
      );
      const expected = [...top.map((name) => `${name} (`), other];

      expect(new Set(byCost.map((name) => envs[name].cost.total)).size).to.equal(40);
      for (const name of ["cost", "cold-starts"]) {
        const labels = [...new Set(valuesOf(chartNamed(forty, name)).map((r) => String(r.env)))];
        expect(
          labels.map((label) => (label === other ? other : label.replace(/\(.*/, "("))),
          name,
        ).to.deep.equal(expected);
      }
      const panels = [
        ...new Set(valuesOf(chartNamed(forty, "wait-cdf")).map((r) => String(r.env))),
      ];
      expect(
        panels.map((label) => (label.startsWith(other) ? other : label.replace(/\(.*/, "("))),
      ).to.deep.equal(expected);
      const rows = [...new Set(valuesOf(chartNamed(forty, "replicas")).map((r) => String(r.env)))];
      expect(rows).to.deep.equal([...top, other]);
      const compared = [
        ...new Set(cellValues(chartNamed(forty, "comparison")).cost.map((r) => String(r.env))),
      ];
      expect(
        compared.map((label) => (label === other ? other : label.replace(/\(.*/, "("))),
      ).to.deep.equal(expected);
    });

    it("the series add up to the summary's totals: cost by state, replica-seconds, cold starts, started tasks, tasks and cost compared", () => {
      const total = forty.run.summary.total;
      const cost = valuesOf(chartNamed(forty, "cost"));
      const state = (order: number): number =>
        sum(cost.filter((r) => r.order === order).map((r) => Number(r.cost)));
      [total.cost.busy, total.cost.idle, total.cost.starting, total.cost.idleTail].forEach(
        (expected, order) => expect(state(order), `state ${order}`).to.be.closeTo(expected, 1e-5),
      );

      const replicas = valuesOf(chartNamed(forty, "replicas"));
      const unitSeconds = chooseTimeUnit(forty.run.summary.endSeconds).seconds;
      const integral = (field: string): number =>
        sum(
          [...new Set(replicas.map((r) => r.env))].map((env) =>
            stepIntegral(
              replicas.filter((r) => r.env === env),
              field,
              unitSeconds,
            ),
          ),
        );
      expect(integral("busy")).to.be.closeTo(total.replicaSeconds.busy, 0.05);
      expect(integral("idle")).to.be.closeTo(total.replicaSeconds.idle, 0.05);
      expect(integral("starting")).to.be.closeTo(total.replicaSeconds.starting, 0.05);

      const starts = valuesOf(chartNamed(forty, "cold-starts"));
      expect(sum(starts.map((r) => Number(r.replicaStarts)))).to.equal(total.coldStarts.replicas);
      expect(sum(starts.map((r) => Number(r.envCreations)))).to.equal(
        total.coldStarts.environments,
      );

      const panels = [
        ...new Set(valuesOf(chartNamed(forty, "wait-cdf")).map((r) => String(r.env))),
      ];
      const counted = panels.map(
        (label) =>
          /: (\d+) warm, (\d+) queued, (\d+) cold tasks/.exec(label)?.slice(1).map(Number) ?? [],
      );
      expect([0, 1, 2].map((i) => sum(counted.map((c) => c[i])))).to.deep.equal([
        total.tasksByStart.warm,
        total.tasksByStart.queued,
        total.tasksByStart.cold,
      ]);

      const { tasks, cost: costBars } = cellValues(chartNamed(forty, "comparison"));
      const outcome = (name: string): number =>
        sum(tasks.filter((r) => r.outcome === name).map((r) => Number(r.count)));
      expect([
        outcome("completed"),
        outcome("failed (cancelled included)"),
        outcome("unfinished"),
      ]).to.deep.equal([total.tasks.completed, total.tasks.failed, total.tasks.unfinished]);
      expect(sum(costBars.map((r) => Number(r.cost)))).to.be.closeTo(total.cost.total, 1e-5);
      const otherBar = costBars.find((r) => r.env === other);
      const rest = Object.values(forty.run.summary.environments)
        .map((m) => m.cost.total)
        .sort((a, b) => b - a)
        .slice(MAX_CHARTED_ENVIRONMENTS);
      expect(Number(otherBar?.cost)).to.be.closeTo(sum(rest), 1e-5);
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

    it("the comparison shows each environment's task outcomes, p50 and p99 wait and total cost from summary.json", () => {
      for (const fixture of [both, fanned]) {
        const cells = cellValues(chartNamed(fixture, "comparison"));
        for (const [name, measures] of Object.entries(fixture.run.summary.environments)) {
          const mine = (rows: Row[]): Row[] =>
            rows.filter((r) => String(r.env).startsWith(`${name} (`));
          const { arrived, completed, failed, unfinished } = measures.tasks;
          const shares = mine(cells.tasks).map((r) => Number(r.to) - Number(r.from));

          [completed, failed, unfinished].forEach((count, index) =>
            expect(shares[index] * arrived, `${name} ${index}`).to.be.closeTo(count, 1e-9),
          );
          expect(
            mine(cells.wait).map((r) => r.wait),
            name,
          ).to.deep.equal([measures.wait.p50, measures.wait.p99]);
          expect(
            mine(cells.cost).map((r) => r.cost),
            name,
          ).to.deep.equal([measures.cost.total]);
        }
      }
    });

    it("groups a parent's environment with its children's into one set-up, whose cost bars add up to the set-up's cost", () => {
      const chart = chartNamed(fanned, "comparison");
      const { cost } = cellValues(chart);
      const envs = fanned.run.summary.environments;
      const [driver, workers] = ["driver", "workers"].map(
        (name) => cost.find((r) => String(r.env).startsWith(`${name} (`)) as Row,
      );

      expect(chart.spec.title).to.deep.include({
        text: "Set-ups side by side: tasks, wait and cost",
      });
      expect(cellTitles(chart)).to.deep.equal(["driver + workers"]);
      expect([driver.from, driver.to]).to.deep.equal([0, envs.driver.cost.total]);
      expect([workers.from, workers.to]).to.deep.equal([
        envs.driver.cost.total,
        envs.driver.cost.total + envs.workers.cost.total,
      ]);
      expect(workers.text).to.match(/ = [\d.]+ for the set-up$/);
      for (const name of ["starving", "async"]) {
        const bar = cost.find((r) => String(r.env).startsWith(`${name} (`)) as Row;
        expect([bar.from, bar.to], name).to.deep.equal([0, envs[name].cost.total]);
      }
    });

    it("without a fan-out across environments, keeps a row per environment and says why", () => {
      const chart = chartNamed(both, "comparison");
      const subtitle = (chart.spec.title as { subtitle: string[] }).subtitle;

      expect(cellTitles(chart)).to.deep.equal([]);
      expect(subtitle[0]).to.equal(
        "One row per environment: the scenario does not say which environments work together.",
      );
    });

    it("marks the rows whose tasks failed and never calls them better for being shorter", () => {
      const chart = chartNamed(fanned, "comparison");
      const { cost, tasks } = cellValues(chart);
      const starving = fanned.run.summary.environments.starving.tasks;
      const text = JSON.stringify(chart.spec);

      expect(starving.failed).to.equal(starving.arrived);
      expect(tasks.find((r) => String(r.env).startsWith("starving ("))?.text).to.equal(
        `${starving.failed} of ${starving.arrived} failed`,
      );
      for (const bar of cost) {
        const isShort = String(bar.env).startsWith("starving (");
        expect(bar.isShort, String(bar.env)).to.equal(isShort);
        expect(String(bar.text).includes("but no task completed"), String(bar.env)).to.equal(
          isShort,
        );
      }
      expect(text).to.not.match(/shorter bars are better/i);
      expect(text).to.include("better only where the tasks completed");
    });

    it("draws waits on a log axis whose stated floor holds a wait of 0, with every wait inside the domain", () => {
      const chart = chartNamed(fanned, "comparison");
      const { wait } = cellValues(chart);
      const axes = layersOf(chart.spec).flatMap((layer) => {
        const x = layer.encoding?.x as
          { field?: string; scale?: { type?: string; domain: number[] } } | undefined;
        return x?.scale?.type === "log" ? [x.scale.domain] : [];
      });
      const [floor, top] = axes[0];
      const subtitle = (chart.spec.title as { subtitle: string[] }).subtitle.join(" ");

      expect(axes.length).to.be.greaterThan(0);
      for (const domain of axes) expect(domain).to.deep.equal([floor, top]);
      expect(wait.some((r) => r.wait === 0)).to.equal(true);
      for (const point of wait) {
        expect(point.drawn).to.equal(Math.max(Number(point.wait), floor));
        expect(Number(point.drawn)).to.be.within(floor, top);
      }
      expect(subtitle).to.include(`a wait under ${floor} s (0 included) is drawn at ${floor} s`);
    });

    it("the comparison's cost bars are COLORS.cost, named once in a legend under the last line", () => {
      const bars = layersOf(chartNamed(fanned, "comparison").spec).filter(
        (layer) => markType(layer) === "bar" && layer.encoding?.x2 !== undefined,
      );
      const costBars = bars.filter((layer) => {
        const color = layer.encoding?.color as { scale?: { range?: string[] } } | undefined;
        return color?.scale?.range?.includes(COLORS.cost) === true;
      });
      const legends = costBars.map(
        (layer) => (layer.encoding?.color as { legend: unknown; title: string }).legend,
      );

      expect(costBars).to.have.length(3);
      expect(legends.filter((legend) => legend !== null)).to.have.length(1);
      expect(legends.at(-1)).to.not.equal(null);
    });

    it("draws the p50 as a ring under the p99 dot and wider than it, so equal waits show both", () => {
      const api = both.run.summary.environments.api;
      const equal = structuredClone(both.run);
      equal.summary.environments.api.wait = { ...api.wait, p50: api.wait.p99 };
      const chart = comparisonChart(equal) as Chart;
      const points = layersOf(chart.spec).find((layer) => markType(layer) === "point") as Layer;
      const mark = points.mark as unknown as { strokeWidth: number };
      const size = points.encoding?.size as { condition: { value: number }; value: number };
      const fill = points.encoding?.fill as { scale: { range: string[] } };
      const radius = (area: number): number => Math.sqrt(area / Math.PI);
      const rows = cellValues(chart).wait.filter((r) => String(r.env).startsWith("api ("));

      expect(rows.map((r) => [r.percentile, r.wait])).to.deep.equal([
        ["median wait (p50)", api.wait.p99],
        ["p99 wait", api.wait.p99],
      ]);
      expect(fill.scale.range).to.deep.equal(["white", COLORS.p99]);
      expect(radius(size.condition.value) - mark.strokeWidth / 2).to.be.greaterThan(
        radius(size.value) + 1,
      );
    });

    it("labels each environment with its policy, replicas and slots", () => {
      const labels = (fixture: SavedFixture): unknown[] => [
        ...new Set(cellValues(chartNamed(fixture, "comparison")).cost.map((r) => r.env)),
      ];
      expect(labels(both)).to.deep.equal([
        "api (reuse, 1\u20134 replicas \u00d7 1 slot)",
        "baseline (no reuse)",
      ]);
      expect(labels(fanned)).to.deep.equal([
        "starving (reuse, 1 replica \u00d7 1 slot)",
        "async (reuse, 1 replica \u00d7 8 slots)",
        "driver (no reuse)",
        "workers (reuse, 1\u20133 replicas \u00d7 1 slot)",
      ]);
    });
  });
});
