/** The part of opentype.js (which ships no types) that reports/text-metrics.ts uses. */
declare module "opentype.js" {
  export interface Glyph {
    advanceWidth?: number;
  }
  export interface Font {
    unitsPerEm: number;
    charToGlyph(char: string): Glyph;
    getKerningValue(left: Glyph, right: Glyph): number;
  }
  /** A CommonJS module: its functions come on the default export. */
  const opentype: { parse(buffer: ArrayBuffer): Font };
  export default opentype;
}
