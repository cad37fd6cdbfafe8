import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { byteText, findNonText } from "../../sim/text-check.js";

describe("sim/text-check", () => {
  it("findNonText(UTF-8 text) finds nothing, whatever its BOM, line ends and characters", () => {
    const text = "\uFEFFname: café\r\nrate: 1 # 5 µs \u{1F600}\n";
    expect(findNonText(Buffer.from(text))).to.equal(undefined);
  });

  it("findNonText(text holding U+FFFD) finds nothing: the character is text", () => {
    expect(findNonText(Buffer.from("env: \uFFFD\n"))).to.equal(undefined);
  });

  it("findNonText(bytes ending inside a character) finds nothing: the rest is in the next chunk", () => {
    const bytes = Buffer.from("a,é");
    expect(findNonText(bytes.subarray(0, bytes.length - 1))).to.equal(undefined);
  });

  it("findNonText(a NUL byte) gives its line and column from 1", () => {
    const bytes = Buffer.from("arrival,duration\n0,1\n1,\u00002\n");
    expect(findNonText(bytes)).to.deep.equal({ line: 3, column: 3, byte: 0, isGzip: false });
  });

  it("findNonText(invalid UTF-8) gives the first bad byte, columns counted in characters", () => {
    const bytes = Buffer.concat([Buffer.from("é,"), Buffer.from([0xff, 0x41])]);
    expect(findNonText(bytes)).to.deep.equal({ line: 1, column: 3, byte: 0xff, isGzip: false });
  });

  it("findNonText(a gzip file) says it is one", () => {
    expect(findNonText(gzipSync("arrival,duration\n"))).to.deep.include({ isGzip: true });
  });

  it('byteText(byte) is two hex digits: "0x00", "0xff"', () => {
    expect([byteText(0), byteText(0xff)]).to.deep.equal(["0x00", "0xff"]);
  });
});
