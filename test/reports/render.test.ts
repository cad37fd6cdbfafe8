import { expect } from "chai";
import type { TopLevelSpec } from "vega-lite";
import * as vega from "vega";

import { Resvg } from "@resvg/resvg-js";

import { CHART_FONT } from "../../reports/font.js";
import { PNG_SCALE, renderPng, renderSvg, resvgOptions } from "../../reports/render.js";
import { measureTextWithChartFont } from "../../reports/text-metrics.js";
import { decodePng, svgSize } from "./png.js";

const SMALL: TopLevelSpec = {
  title: "Small",
  width: 200,
  height: 100,
  data: {
    values: [
      { x: 1, y: 2 },
      { x: 2, y: 3 },
    ],
  },
  mark: "line",
  encoding: {
    x: { field: "x", type: "quantitative", title: "x (s)" },
    y: { field: "y", type: "quantitative", title: "y (count)" },
  },
};

describe("reports/render", () => {
  describe("renderSvg(spec, onWarning)", () => {
    it("renders a spec to an SVG document", async () => {
      const warnings: string[] = [];
      const svg = await renderSvg(SMALL, (message) => warnings.push(message));

      expect(svg).to.match(/^<svg /);
      expect(svg).to.include(">Small</text>");
      expect(warnings).to.deep.equal([]);
    });

    it("hands vega-lite's warnings to onWarning, so a test of none can fail", async () => {
      const warnings: string[] = [];
      const withShapeOnBar = {
        ...SMALL,
        mark: "bar",
        encoding: { ...SMALL.encoding, shape: { field: "x", type: "nominal" } },
      } as TopLevelSpec;
      await renderSvg(withShapeOnBar, (message) => warnings.push(message));

      expect(warnings.join("\n")).to.match(/shape/i);
    });

    it("gives the same bytes for the same spec", async () => {
      vega.resetSVGDefIds();
      const first = await renderSvg(SMALL, () => {});
      vega.resetSVGDefIds();
      expect(await renderSvg(SMALL, () => {})).to.equal(first);
    });
  });

  describe("renderPng(svg)", () => {
    it("draws a PNG that decodes, at PNG_SCALE times the SVG's size, in 8-bit RGBA", async () => {
      const svg = await renderSvg(SMALL, () => {});
      const size = svgSize(svg);
      const png = decodePng(renderPng(svg));

      expect(png).to.deep.equal({
        width: size.width * PNG_SCALE,
        height: size.height * PNG_SCALE,
        bitDepth: 8,
        colorType: 6,
      });
    });

    it("draws text with the shipped font and no system font: text leaves dark pixels", () => {
      const dark = (svg: string): number => {
        const { pixels } = new Resvg(svg, resvgOptions()).render();
        let count = 0;
        for (let at = 0; at < pixels.length; at += 4) if (pixels[at] < 128) count++;
        return count;
      };
      const page = (body: string): string =>
        `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="white"/>${body}</svg>`;
      const text = `<text x="4" y="30" font-family="${CHART_FONT}" font-size="24">Hello</text>`;

      expect(dark(page(""))).to.equal(0);
      expect(dark(page(text))).to.be.greaterThan(200);
    });
  });

  describe("measureTextWithChartFont()", () => {
    it("measures DejaVu Sans: 'Hello' at 10 px is about 25 px, not Vega's 0.8 em guess of 40 px", () => {
      measureTextWithChartFont();
      const metrics = (
        vega as unknown as { textMetrics: { width(item: object, text: string): number } }
      ).textMetrics;

      expect(metrics.width({ fontSize: 10 }, "Hello")).to.be.within(24, 27);
      expect(metrics.width({ fontSize: 10, fontWeight: "bold" }, "Hello")).to.be.greaterThan(
        metrics.width({ fontSize: 10 }, "Hello"),
      );
    });
  });
});
