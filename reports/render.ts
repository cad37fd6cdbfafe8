import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import { parse, View, type LoggerInterface } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { FONT_FAMILY, fontFiles } from "./font.js";
import { measureTextWithChartFont } from "./text-metrics.js";

/** PNGs are drawn at twice the SVG's size, sharp on high-density screens and in documents. */
export const PNG_SCALE = 2;

/** Where vega-lite's and vega's warnings go: a chart that warns is a bug in the chart. */
export type WarningSink = (message: string) => void;

/** Compile a Vega-Lite spec and render it to SVG with Vega's headless (no DOM) renderer. */
export async function renderSvg(spec: TopLevelSpec, onWarning: WarningSink): Promise<string> {
  measureTextWithChartFont();
  const logger = captureLogger(onWarning);
  const compiled = compile(spec, { logger }).spec;
  const view = new View(parse(compiled), { renderer: "none", logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterise an SVG with resvg, using the font files that ship with reuse-sim only. */
export function renderPng(svg: string): Uint8Array {
  return new Resvg(svg, resvgOptions()).render().asPng();
}

/** resvg's settings: the shipped fonts and no system font, so every machine draws alike. */
export function resvgOptions(): ResvgRenderOptions {
  return {
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: "zoom", value: PNG_SCALE },
    textRendering: 1,
    shapeRendering: 2,
  };
}

/** Vega's level for warnings (vega-util's Warn): info and debug messages are dropped. */
const WARN_LEVEL = 2;

/** A Vega logger that hands warnings and errors to `onWarning` and drops the chatter. */
function captureLogger(onWarning: WarningSink): LoggerInterface {
  const logger: LoggerInterface = {
    level: (level?: number) => (level === undefined ? WARN_LEVEL : logger),
    error: (...args: unknown[]) => {
      onWarning(`error: ${args.map(String).join(" ")}`);
      return logger;
    },
    warn: (...args: unknown[]) => {
      onWarning(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}
