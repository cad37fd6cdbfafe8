import { expect } from "chai";
import { RandomStreams } from "../../sim/random.js";
import { float64Column } from "../../workloads/chunked-column.js";
import { stableOrderByKey } from "../../workloads/start-order.js";

/** The order a stable comparison sort gives: by key, then by place. */
function sortedByKey(keys: readonly number[], rows: readonly number[]): number[] {
  return [...rows].sort((a, b) => keys[a] - keys[b] || a - b);
}

function orderOf(keys: readonly number[], rows: readonly number[]): number[] {
  const column = float64Column();
  for (const key of keys) column.push(key);
  return Array.from(stableOrderByKey(column, Uint32Array.from(rows)));
}

describe("start order", () => {
  const rng = new RandomStreams(5).stream("keys");
  const draw = (count: number, range: number, offset = 0) =>
    Array.from({ length: count }, () => offset + Math.floor(rng() * range));
  const all = (count: number) => Array.from({ length: count }, (_, row) => row);

  it("stableOrderByKey orders by key and keeps equal keys in the order given", () => {
    // 20 distinct keys over 5,000 rows: many ties, all of which must keep their order.
    const keys = draw(5000, 20);
    expect(orderOf(keys, all(5000))).to.deep.equal(sortedByKey(keys, all(5000)));
  });

  it("stableOrderByKey takes keys of either sign over a range of 2^52 (four 16-bit digits)", () => {
    const keys = draw(3000, 2 ** 52, -(2 ** 51));
    keys.push(-(2 ** 51), 2 ** 51 - 1, 0, 0);
    expect(orderOf(keys, all(keys.length))).to.deep.equal(sortedByKey(keys, all(keys.length)));
  });

  it("stableOrderByKey sorts only the rows given, across chunks of the column (70,000 keys)", () => {
    const keys = draw(70_000, 14 * 86_400 * 1e6);
    const rows = all(70_000).filter((row) => row % 3 !== 1);
    expect(orderOf(keys, rows)).to.deep.equal(sortedByKey(keys, rows));
  });

  it("stableOrderByKey of no row, one row, and equal keys gives them back", () => {
    expect(orderOf([], [])).to.deep.equal([]);
    expect(orderOf([7], [0])).to.deep.equal([0]);
    expect(orderOf([3, 3, 3], [2, 0, 1])).to.deep.equal([2, 0, 1]);
  });
});
