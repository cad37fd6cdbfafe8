import { expect } from "chai";
import { readIsoMicros } from "../../workloads/trace-values.js";

describe("trace values", () => {
  it("readIsoMicros reads a date and time in UTC, zones honoured, to the microsecond", () => {
    expect(readIsoMicros("2021-02-01T00:00:05.250Z")).to.equal(
      Date.UTC(2021, 1, 1, 0, 0, 5) * 1000 + 250_000,
    );
    expect(readIsoMicros("2021-02-01 01:00:00+01:00")).to.equal(Date.UTC(2021, 1, 1) * 1000);
    expect(readIsoMicros("2021-02-01T00:00:00.1234567")).to.equal(
      Date.UTC(2021, 1, 1) * 1000 + 123_456,
    );
  });

  it("readIsoMicros reads February 29 of a leap year (2020, 2000) and no other", () => {
    expect(readIsoMicros("2020-02-29T00:00:00Z")).to.equal(Date.UTC(2020, 1, 29) * 1000);
    expect(readIsoMicros("2000-02-29T00:00:00Z")).to.equal(Date.UTC(2000, 1, 29) * 1000);
    expect(Number.isNaN(readIsoMicros("2021-02-29T00:00:00Z"))).to.equal(true);
    expect(Number.isNaN(readIsoMicros("2100-02-29T00:00:00Z"))).to.equal(true);
  });

  it("readIsoMicros rejects days a month does not have (2021-02-30, 2021-04-31), not moving them on", () => {
    for (const text of ["2021-02-30T00:00:00Z", "2021-04-31T12:00:00Z", "2021-06-31 00:00:00"]) {
      expect(Number.isNaN(readIsoMicros(text)), text).to.equal(true);
    }
    expect(readIsoMicros("2021-01-31T00:00:00Z")).to.equal(Date.UTC(2021, 0, 31) * 1000);
  });

  it("readIsoMicros rejects a month, hour, minute or second out of range", () => {
    for (const text of [
      "2021-13-01T00:00:00Z",
      "2021-00-01T00:00:00Z",
      "2021-02-00T00:00:00Z",
      "2021-02-01T24:00:00Z",
      "2021-02-01T00:60:00Z",
      "2021-02-01T00:00:60Z",
    ]) {
      expect(Number.isNaN(readIsoMicros(text)), text).to.equal(true);
    }
  });
});
