import { expect } from "chai";
import { Readable } from "node:stream";
import { TextLines } from "../../workloads/text-stream.js";

/** The stream of these chunks, each given as text or bytes. */
function chunked(...chunks: (string | Buffer)[]): Readable {
  return Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
}

async function allLines(input: Readable, maxChars = 100): Promise<string[]> {
  const lines = new TextLines(input, maxChars, (line) => new Error(`line ${line} too long`));
  const result: string[] = [];
  for (let line = await lines.next(); line !== null; line = await lines.next()) result.push(line);
  return result;
}

describe("TextLines", () => {
  it("TextLines.next() splits at LF and CRLF, not at a lone CR", async () => {
    const lines = await allLines(chunked("a\nb\r\nc\rd\n\ne"));
    expect(lines).to.deep.equal(["a", "b", "c\rd", "", "e"]);
  });

  it("TextLines.next() joins a line across chunks, a CRLF split between two among them", async () => {
    const lines = await allLines(chunked("ab", "c\r", "\nd", "e\r", "f\n"));
    expect(lines).to.deep.equal(["abc", "de\rf"]);
  });

  it("TextLines.next() keeps a character whose bytes two chunks share", async () => {
    const bytes = Buffer.from("é\nü");
    const lines = await allLines(chunked(bytes.subarray(0, 1), bytes.subarray(1)));
    expect(lines).to.deep.equal(["é", "ü"]);
  });

  it("TextLines.next() gives no empty line after a final line break", async () => {
    expect(await allLines(chunked("a\n"))).to.deep.equal(["a"]);
    expect(await allLines(chunked(""))).to.deep.equal([]);
  });

  it("TextLines.next() rejects a line longer than maxChars, by its number", async () => {
    const error = await allLines(chunked("short\nok\n", "x".repeat(60), "y".repeat(60), "\nz\n"))
      .then(() => null)
      .catch((caught: Error) => caught);
    expect(error?.message).to.equal("line 3 too long");
  });

  it("TextLines.next() rejects a long line inside one chunk, and takes one of maxChars", async () => {
    expect(await allLines(chunked(`${"a".repeat(100)}\nb\n`))).to.have.length(2);
    const error = await allLines(chunked(`a\n${"b".repeat(101)}\nc\n`))
      .then(() => null)
      .catch((caught: Error) => caught);
    expect(error?.message).to.equal("line 2 too long");
  });
});
