import { createRequire } from "node:module";

/**
 * The charts' typeface. PNGs are drawn by resvg, which sees only the font files it is given, so
 * the font ships as an npm dependency (dejavu-fonts-ttf) rather than relying on the machine's
 * fonts: a bare Linux box or CI renders the same pixels. Browsers showing the SVG fall back to
 * their own sans-serif when DejaVu Sans is not installed.
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
