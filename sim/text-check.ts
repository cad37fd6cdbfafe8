/**
 * Telling text from binary before parsing it, so that a user who passes an image, an archive or
 * a compressed trace hears that, with the position of the first byte that is not text, instead
 * of a parser's complaint about a garbled value.
 */

/** The first byte of a file that is not UTF-8 text, and where it is (both from 1). */
export interface NonTextByte {
  line: number;
  column: number;
  /** The byte's value, 0 to 255. */
  byte: number;
  /** The file starts with gzip's magic number: it wants decompressing, not reading. */
  isGzip: boolean;
}

const REPLACEMENT = "\uFFFD";
const NON_TEXT = /[\0\uFFFD]/g;
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The first NUL byte or invalid UTF-8 sequence in `bytes`, the start of a file, or undefined if
 * there is none. A multi-byte character cut by the end of `bytes` is not counted against it.
 */
export function findNonText(bytes: Uint8Array): NonTextByte | undefined {
  // ignoreBOM keeps a byte order mark as a character, so offsets line up with the bytes.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes, { stream: true });

  for (const match of text.matchAll(NON_TEXT)) {
    const index = match.index;
    const before = text.slice(0, index);
    const offset = Buffer.byteLength(before, "utf8");
    // A U+FFFD written in the file is text; only one the decoder made up marks a bad byte.
    if (match[0] === REPLACEMENT && isEncodedReplacement(bytes, offset)) continue;

    const lineStart = before.lastIndexOf("\n") + 1;
    return {
      line: countLines(before),
      column: index - lineStart + 1,
      byte: bytes[offset],
      isGzip: bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1],
    };
  }
  return undefined;
}

/** The byte as it is named in messages: "0x00", "0xff". */
export function byteText(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

function isEncodedReplacement(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
}

function countLines(text: string): number {
  let lines = 1;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) {
    lines++;
  }
  return lines;
}
