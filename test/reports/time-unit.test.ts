import { expect } from "chai";

import { bucketLengthText, chooseTimeUnit } from "../../reports/time-unit.js";

describe("reports/time-unit", () => {
  it("chooseTimeUnit(endSeconds) counts in s up to 10 minutes, min up to 10 hours, h beyond", () => {
    expect([600, 601, 36_000, 36_001].map((end) => chooseTimeUnit(end).name)).to.deep.equal([
      "s",
      "min",
      "min",
      "h",
    ]);
  });

  it("bucketLengthText(seconds) names a bucket in its largest whole unit: 1-minute, 10-second, 2-hour", () => {
    const lengths = [1, 10, 0.5, 60, 90, 600, 3600, 7200, 5400];
    expect(lengths.map(bucketLengthText)).to.deep.equal([
      "1-second",
      "10-second",
      "0.5-second",
      "1-minute",
      "90-second",
      "10-minute",
      "1-hour",
      "2-hour",
      "90-minute",
    ]);
  });

  it("bucketLengthText(0) is an error that quotes the length", () => {
    expect(() => bucketLengthText(0)).to.throw(RangeError, "bucketLengthText: 0 is not");
  });
});
