import { expect } from "chai";
import { float64Column, uint32Column } from "../../workloads/chunked-column.js";

describe("chunked column", () => {
  it("ChunkedColumn.get gives back every value pushed, across chunk boundaries", () => {
    const starts = float64Column();
    const functions = uint32Column();
    for (let i = 0; i < 200_000; i++) {
      starts.push(i * 1.5e6 - 7);
      functions.push(i % 977);
    }
    expect(starts.length).to.equal(200_000);
    for (const i of [0, 1, 65_535, 65_536, 65_537, 131_072, 199_999]) {
      expect(starts.get(i), String(i)).to.equal(i * 1.5e6 - 7);
      expect(functions.get(i), String(i)).to.equal(i % 977);
    }
  });

  it("ChunkedColumn holds at most one chunk (65,536 values) more than it was given", () => {
    const column = float64Column();
    expect(column.allocated).to.equal(0);
    for (let i = 0; i < 150_000; i++) {
      column.push(i);
      if (i % 10_007 === 0) expect(column.allocated - column.length).to.be.below(65_536);
    }
    // A doubling array would hold 262,144 here.
    expect(column.allocated).to.equal(3 * 65_536);
  });
});
