import { expect } from "chai";
import fc from "fast-check";

import {
  BINS_PER_DECADE,
  WAIT_FLOOR_SECONDS,
  WaitHistogram,
  binOf,
  binUpperEdge,
} from "../../reports/wait-histogram.js";

describe("reports/wait-histogram", () => {
  it("binOf(wait) is 0 for every wait up to the 1 ms floor, zero included", () => {
    expect([0, 1e-6, WAIT_FLOOR_SECONDS].map(binOf)).to.deep.equal([0, 0, 0]);
  });

  it("binOf(wait) puts a wait in the first bin whose upper edge is at least the wait", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (wait) => {
        const bin = binOf(wait);
        expect(binUpperEdge(bin)).to.be.at.least(wait);
        if (bin > 0) expect(binUpperEdge(bin - 1)).to.be.below(wait);
      }),
    );
  });

  it("binOf(edge) is the bin of that edge: a wait exactly on an edge counts at or below it", () => {
    for (const bin of [1, 20, 57, 100, 160]) expect(binOf(binUpperEdge(bin))).to.equal(bin);
  });

  it(`binUpperEdge steps ${BINS_PER_DECADE} bins a decade: 1 ms, 10 ms, 100 ms, 1 s`, () => {
    const edges = [0, 1, 2, 3].map((decade) => binUpperEdge(decade * BINS_PER_DECADE));
    edges.forEach((edge, decade) => expect(edge).to.be.closeTo(10 ** (decade - 3), 1e-12));
  });

  it("WaitHistogram counts waits per environment and kind, and refuses unknown environments", () => {
    const waits = new WaitHistogram(["api"]);

    expect(waits.add("api", "cold", 20)).to.equal(true);
    expect(waits.add("api", "cold", 21)).to.equal(true);
    expect(waits.add("web", "cold", 1)).to.equal(false);
    expect(waits.addUnfinished("api")).to.equal(true);
    expect([waits.total("api", "cold"), waits.total("api", "warm")]).to.deep.equal([2, 0]);
    expect(waits.unfinishedCount("api")).to.equal(1);
  });
});
