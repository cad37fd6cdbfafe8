import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The charts' typeface. PNGs are drawn by resvg, which sees only the font files it is given, so
 * the font ships as an npm dependency (dejavu-fonts-ttf) rather than relying on the machine's
 * fonts: a bare Linux box or CI renders the same pixels. report.html embeds the same files, so a
 * browser draws its SVG charts in the font their text was measured in; an SVG opened alone falls
 * back to the browser's sans-serif when DejaVu Sans is not installed.
 */
export const FONT_FAMILY = "DejaVu Sans";

/** The family list charts ask for: resvg finds the first, a browser may use the fallback. */
export const CHART_FONT = `${FONT_FAMILY}, Verdana, sans-serif`;

const require = createRequire(import.meta.url);

/** Paths of the regular and bold font files, for resvg. */
export function fontFiles(): string[] {
  return [
    require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
    require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
  ];
}

/**
 * CSS @font-face rules that carry the regular and bold font files whole, as data: URLs (about
 * 2 MB of base64), for a page that must not fetch anything.
 */
export function embeddedFontFaces(): string {
  const [regular, bold] = fontFiles();
  const face = (path: string, weight: string): string =>
    `@font-face { font-family: "${FONT_FAMILY}"; font-weight: ${weight}; font-style: normal; src: url(data:font/ttf;base64,${readFileSync(path).toString("base64")}) format("truetype"); }`;
  return [face(regular, "normal"), face(bold, "bold")].join("\n");
}
