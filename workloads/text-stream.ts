import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
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
