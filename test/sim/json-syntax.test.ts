import { expect } from "chai";
import { findJsonError, firstBadOffset } from "../../sim/json-syntax.js";

// Where a scenario file stops being JSON. JSON.parse names the offset in most messages; the scan
// is checked against it there, and by hand where JSON.parse gives none ("Unexpected token").

/** JSON.parse's own offset for the text, from its message. */
function parseOffset(text: string): number | undefined {
  try {
    JSON.parse(text);
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    return position === undefined ? undefined : Number(position);
  }
  throw new Error(`${text} is valid JSON`);
}

describe("sim/json-syntax", () => {
  const withPosition = [
    '{"a": 1,}',
    '{"a": 1 "b": 2}',
    '{"a" 1}',
    "{'a': 1}",
    "[1, 2 3]",
    '{"a": [1, {"b": 2]}',
    '{"a": "x\ty"}',
    '{"a": "\\q"}',
    '{"a": "\\u12x4"}',
    '{"a": 1} {',
    '{"a": 01}',
  ];
  for (const text of withPosition) {
    it(`firstBadOffset(${JSON.stringify(text)}) is the offset JSON.parse names`, () => {
      const offset = parseOffset(text);
      expect(offset, "JSON.parse gives an offset").not.to.equal(undefined);
      expect(firstBadOffset(text)).to.equal(offset);
    });
  }

  const withoutPosition: [string, number][] = [
    ['{"a": // c\n1}', 6],
    ['{"a": tru}', 9],
    ["[1, 2,]", 6],
    ['{"a": [1, ]}', 10],
    ["x", 0],
    ['{"a": nul', 9],
  ];
  for (const [text, offset] of withoutPosition) {
    it(`firstBadOffset(${JSON.stringify(text)}) is ${offset}, where JSON.parse gives none`, () => {
      expect(parseOffset(text)).to.equal(undefined);
      expect(firstBadOffset(text)).to.equal(offset);
    });
  }

  it("firstBadOffset(a text cut short) is its length", () => {
    expect(firstBadOffset('{"a": [1, 2')).to.equal(11);
    expect(firstBadOffset('{"a": "x')).to.equal(8);
  });

  it("firstBadOffset(100,000 nested lists) scans without overflowing the stack", () => {
    const text = `${"[".repeat(100_000)}1${"]".repeat(99_999)}}`;
    expect(firstBadOffset(text)).to.equal(text.length - 1);
  });

  it("findJsonError() keeps JSON.parse's reason without the text it quotes or the offset", () => {
    expect(findJsonError('{"a": tru}')).to.deep.equal({
      reason: 'Unexpected token "}"',
      offset: 9,
    });
    expect(findJsonError('{"a": 1,}')).to.deep.equal({
      reason: "Expected double-quoted property name",
      offset: 8,
    });
    // A line break as the token is quoted, so that the message stays one line.
    expect(findJsonError('{"a": tru\n}')?.reason).to.equal('Unexpected token "\\n"');
    expect(findJsonError('{"a": 1}')).to.equal(undefined);
  });
});
