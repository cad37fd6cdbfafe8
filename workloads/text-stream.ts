import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import split2 from "split2";
import { findNonText, type NonTextByte } from "../sim/text-check.js";

/**
 * A trace file's bytes, with its first chunk checked for text: a binary or compressed file fails
 * with the error `refuse` makes of its first non-text byte, before any of it is parsed. Only the
 * start is checked, so that a file of gigabytes is not read twice; a bad byte further on reaches
 * the parser and shows up quoted in the value it spoils.
 */
export function readText(path: string, refuse: (nonText: NonTextByte) => Error): Readable {
  return Readable.from(checkedChunks(path, refuse), { objectMode: false });
}

async function* checkedChunks(
  path: string,
  refuse: (nonText: NonTextByte) => Error,
): AsyncGenerator<Buffer> {
  let isFirst = true;
  for await (const chunk of createReadStream(path)) {
    if (isFirst) {
      const nonText = findNonText(chunk as Buffer);
      if (nonText !== undefined) throw refuse(nonText);
      isFirst = false;
    }
    yield chunk as Buffer;
  }
}

/**
 * The longest line a trace may have, in characters: 1 MiB, a hundred times an azure2019 row
 * (1,444 fields, about 10 KB). A longer line is an error, found before the parser holds it
 * whole: a file of one huge line (a wrong file, or one without line breaks) would otherwise be
 * read into memory and quoted at length. A CSV row counts its fields' characters (the commas
 * and quotes around them do not count), a JSON Lines line all of its characters.
 */
export const MAX_LINE_CHARS = 1024 * 1024;

/** split2's error for a line it is reading past maxLength, and ours for a whole one. */
const SPLIT2_TOO_LONG = "maximum buffer reached";
const TOO_LONG = "line too long";

/**
 * The lines of a text stream, without their breaks (LF or CRLF), split by split2: `next()` gives
 * the next line, or null at the end. A line longer than `maxChars` is the error `tooLong` makes
 * of its number (from 1), found once split2 has buffered more than that without a break.
 */
export class TextLines {
  private readonly lines: AsyncIterator<string>;
  private readonly tooLong: (line: number) => Error;
  /** Lines split2 has cut so far: a line too long is the one after them. */
  private cut = 0;

  constructor(input: Readable, maxChars: number, tooLong: (line: number) => Error) {
    // split2's maxLength bounds the line it is still reading; a long line that came whole in
    // one chunk is caught here.
    const countCut = (line: string): string => {
      if (line.length > maxChars) throw new Error(TOO_LONG);
      this.cut++;
      return line;
    };
    const splitter = split2(/\r?\n/, countCut, { maxLength: maxChars });
    // An error of the input (a binary file) reaches the reader as it is.
    input.on("error", (error) => splitter.destroy(error));
    this.lines = input.pipe(splitter)[Symbol.asyncIterator]();
    this.tooLong = tooLong;
  }

  async next(): Promise<string | null> {
    try {
      const step = await this.lines.next();
      return step.done === true ? null : (step.value as string);
    } catch (error) {
      const message = (error as Error).message;
      if (message === TOO_LONG || message === SPLIT2_TOO_LONG) throw this.tooLong(this.cut + 1);
      throw error;
    }
  }
}
