import { inflateSync } from "node:zlib";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What a decoded PNG's header says, after checking its chunks and pixel data fit together. */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

/**
 * Decode a PNG far enough to trust it: the signature, IHDR first and IEND last, and IDAT data
 * that inflates to exactly one filter byte plus one row of pixels per line (PNG spec, 11.2.2).
 */
export function decodePng(bytes: Uint8Array): PngInfo {
  const data = Buffer.from(bytes);
  if (!SIGNATURE.every((byte, index) => data[index] === byte)) throw new Error("not a PNG");

  const chunks: { type: string; body: Buffer }[] = [];
  for (let at = 8; at < data.length;) {
    const length = data.readUInt32BE(at);
    chunks.push({
      type: data.toString("latin1", at + 4, at + 8),
      body: data.subarray(at + 8, at + 8 + length),
    });
    at += 12 + length;
  }
  if (chunks[0]?.type !== "IHDR" || chunks.at(-1)?.type !== "IEND") throw new Error("bad chunks");

  const header = chunks[0].body;
  const info = {
    width: header.readUInt32BE(0),
    height: header.readUInt32BE(4),
    bitDepth: header[8],
    colorType: header[9],
  };
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[info.colorType as 0 | 2 | 4 | 6];
  const pixels = inflateSync(
    Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.body)),
  );
  const expected = info.height * (1 + (info.width * channels * info.bitDepth) / 8);
  if (pixels.length !== expected)
    throw new Error(`pixel data ${pixels.length}, expected ${expected}`);
  return info;
}

/** The width and height an SVG document's root element declares, in px. */
export function svgSize(svg: string): { width: number; height: number } {
  const match = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg);
  if (match === null) throw new Error("no size on the svg element");
  return { width: Number(match[1]), height: Number(match[2]) };
}
