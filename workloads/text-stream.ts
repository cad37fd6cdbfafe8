import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
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

/** A line break: CRLF, LF or a lone CR, as Node's readline reads them. */
const LINE_BREAK = /\r\n|\n|\r/g;

/**
 * The lines of a text stream, without their breaks, a chunk's worth at a time: `next()` gives the
 * next line, or null at the end. A line longer than `maxChars` is the error `tooLong` makes of its
 * number (from 1) and its start, found as soon as the line passes the limit.
 */
export class TextLines {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly maxChars: number;
  private readonly tooLong: (line: number, start: string) => Error;
  private readonly decoder = new StringDecoder("utf8");
  private lines: string[] = [];
  private index = 0;
  /** The text after the last break, the start of a line that goes on in the next chunk. */
  private pending = "";
  /** Lines handed out so far. */
  private count = 0;
  /** Whether the last chunk ended with a CR, so that an LF starting the next is its pair. */
  private isAfterCr = false;
  private isDone = false;

  constructor(input: Readable, maxChars: number, tooLong: (line: number, start: string) => Error) {
    this.chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.maxChars = maxChars;
    this.tooLong = tooLong;
  }

  async next(): Promise<string | null> {
    while (this.index === this.lines.length) {
      if (this.isDone) return null;
      await this.readChunk();
    }
    this.count++;
    return this.lines[this.index++];
  }

  private async readChunk(): Promise<void> {
    this.lines = [];
    this.index = 0;
    const step = await this.chunks.next();
    if (step.done) {
      this.isDone = true;
      const rest = this.pending + this.decoder.end();
      if (rest !== "") this.lines.push(rest);
      return;
    }

    let text = this.decoder.write(step.value);
    if (text === "") return;
    if (this.isAfterCr && text.charCodeAt(0) === 10) text = text.slice(1);
    this.isAfterCr = text.charCodeAt(text.length - 1) === 13;

    let start = 0;
    LINE_BREAK.lastIndex = 0;
    for (let match = LINE_BREAK.exec(text); match !== null; match = LINE_BREAK.exec(text)) {
      const line = this.pending + text.slice(start, match.index);
      this.pending = "";
      if (line.length > this.maxChars) this.fail(this.lines.length, line);
      this.lines.push(line);
      start = LINE_BREAK.lastIndex;
    }
    this.pending += text.slice(start);
    if (this.pending.length > this.maxChars) this.fail(this.lines.length, this.pending);
  }

  /** The line `offset` lines after the last one handed out is too long. */
  private fail(offset: number, line: string): never {
    throw this.tooLong(this.count + offset + 1, line.slice(0, 100));
  }
}
