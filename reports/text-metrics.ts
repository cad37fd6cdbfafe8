import { readFileSync } from "node:fs";
import opentype, { type Font } from "opentype.js";
import * as vega from "vega";
import { fontFiles } from "./font.js";

/** The text item fields Vega passes when it asks for a width. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/** Vega's text measurer, which its typings do not declare. */
interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

const DEFAULT_FONT_SIZE = 11;

let isInstalled = false;

/**
 * Make Vega measure text with the font the PNGs are drawn in. Without a canvas, Vega guesses
 * 0.8 em a character, far wider than DejaVu Sans: layouts gain wide empty margins and legends
 * cut their labels short. Vega keeps one measurer for the process, so this sets it once;
 * widths depend on the shipped font files only, so output stays the same on every machine.
 */
export function measureTextWithChartFont(): void {
  if (isInstalled) return;
  const [regular, bold] = chartFonts();
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const font = isBold(item.fontWeight) ? bold : regular;
    const width = textWidth(font, String(text ?? "").trim(), fontSizeOf(item));
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  isInstalled = true;
}

/**
 * The width in pixels of one line of regular text in the charts' font, as Vega lays it out: for
 * a chart that must leave room for a label it places itself.
 */
export function chartTextWidth(text: string, fontSize: number): number {
  return textWidth(chartFonts()[0], text.trim(), fontSize);
}

let fonts: [regular: Font, bold: Font] | null = null;

function chartFonts(): [regular: Font, bold: Font] {
  if (fonts === null) {
    const [regular, bold] = fontFiles().map(loadFont);
    fonts = [regular, bold];
  }
  return fonts;
}

function loadFont(path: string): Font {
  const bytes = readFileSync(path);
  return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Advance widths plus pair kerning; no shaping, which Latin labels do not need. */
function textWidth(font: Font, text: string, fontSize: number): number {
  let units = 0;
  let previous = null;
  for (const char of text) {
    const glyph = font.charToGlyph(char);
    units += glyph.advanceWidth ?? 0;
    if (previous !== null) units += font.getKerningValue(previous, glyph);
    previous = glyph;
  }
  return (units * fontSize) / font.unitsPerEm;
}

function fontSizeOf(item: TextItem): number {
  return item.fontSize === undefined ? DEFAULT_FONT_SIZE : Number(item.fontSize) || 0;
}

function isBold(weight: number | string | undefined): boolean {
  return weight === "bold" || weight === "bolder" || Number(weight) >= 600;
}
