import { expect } from "chai";
import fc from "fast-check";

import {
  formatDuration,
  MICROS_PER_SECOND,
  parseDuration,
  toMicros,
  toSeconds,
} from "../../sim/duration.js";
import { UserError } from "../../sim/errors.js";

const FIELD = "environments.api.coldStart.median";

/** Run `action` and return the UserError it throws. */
function rejection(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  return expect.fail("expected a UserError");
}

describe("sim/duration", () => {
  describe("parseDuration(value, field)", () => {
    const accepted: [unknown, number][] = [
      [0, 0],
      [12, 12],
      [2.5, 2.5],
      ["30", 30],
      ["2.5", 2.5],
      ["50ms", 0.05],
      ["250ms", 0.25],
      ["90s", 90],
      ["1.5s", 1.5],
      ["5m", 300],
      ["1h30m", 5400],
      ["1h 30m", 5400],
      ["1h  30m 15s", 5415],
      ["1h30m15s", 5415],
      ["2d", 172_800],
      ["1d2h3m4s5ms", 93_784.005],
      ["0.5h", 1800],
      ["PT5M", 300],
      ["PT1H30M", 5400],
      ["P1DT2H", 93_600],
      ["P2D", 172_800],
      ["PT0.5S", 0.5],
      ["PT1M30.25S", 90.25],
      [" 5m ", 300],
      ["20us", 0.00002],
      ["1µs", 0.000001],
      ["1s250ms500us", 1.2505],
    ];
    for (const [value, seconds] of accepted) {
      it(`parseDuration(${JSON.stringify(value)}) is ${seconds} seconds`, () => {
        expect(parseDuration(value, FIELD)).to.equal(seconds);
      });
    }

    it('parseDuration("0.3s") and ("PT0.1S") are exactly 0.3 and 0.1, with no float drift', () => {
      expect(parseDuration("0.3s", FIELD)).to.equal(0.3);
      expect(parseDuration("PT0.1S", FIELD)).to.equal(0.1);
      expect(parseDuration("100ms", FIELD)).to.equal(0.1);
      expect(parseDuration("1m0.1s", FIELD)).to.equal(60.1);
    });

    it("parseDuration(-0) is 0", () => {
      expect(Object.is(parseDuration(-0, FIELD), 0)).to.equal(true);
    });

    const rejected: [unknown, string, string][] = [
      [-1, "-1", "is negative"],
      [Number.NaN, "NaN", "is not a duration"],
      [Number.POSITIVE_INFINITY, "Infinity", "is not a duration"],
      ["-3s", '"-3s"', "is negative"],
      ["-PT5M", '"-PT5M"', "is negative"],
      ["5 minutes", '"5 minutes"', "is not a duration"],
      ["", '""', "is not a duration"],
      ["5x", '"5x"', "is not a duration"],
      ["5M", '"5M"', "is not a duration"],
      ["5 m", '"5 m"', "is not a duration"],
      ["1h30", '"1h30"', "is not a duration"],
      [".5s", '".5s"', "is not a duration"],
      ["P", '"P"', "is not a duration"],
      ["PT", '"PT"', "is not a duration"],
      ["P1DT", '"P1DT"', "is not a duration"],
      ["1m1h", '"1m1h"', "out of order"],
      ["1s1s", '"1s1s"', "out of order"],
      ["5us1ms", '"5us1ms"', "out of order"],
      ["1us1µs", '"1us1µs"', "out of order"],
      ["P1Y", '"P1Y"', "years, months or weeks"],
      ["P1M", '"P1M"', "years, months or weeks"],
      ["P2W", '"P2W"', "years, months or weeks"],
      ["P1Y2DT3H", '"P1Y2DT3H"', "years, months or weeks"],
      [null, "null", "is not a duration"],
      [true, "true", "is not a duration"],
      [{ seconds: 5 }, '{"seconds":5}', "is not a duration"],
      [[5], "[5]", "is not a duration"],
    ];
    for (const [value, quoted, reason] of rejected) {
      it(`parseDuration(${quoted}) is rejected: ${reason}`, () => {
        const error = rejection(() => parseDuration(value, FIELD));

        expect(error.code).to.equal("BAD_DURATION");
        expect(error.message.startsWith(`${FIELD}: ${quoted} `)).to.equal(true, error.message);
        expect(error.message).to.contain(reason);
        expect(error.message).to.contain("expected");
        expect(error.message).not.to.contain("\n");
      });
    }

    it('parseDuration("5 minutes") says which forms are allowed', () => {
      const error = rejection(() => parseDuration("5 minutes", FIELD));

      expect(error.message).to.equal(
        `${FIELD}: "5 minutes" is not a duration; expected seconds as a number, ` +
          `or a string like "90s", "5m", "1h30m", "250ms", "20us" or ISO-8601 "PT5M"`,
      );
    });

    it("parseDuration(a number of days too long for a double) is rejected", () => {
      const error = rejection(() => parseDuration(`${"9".repeat(400)}d`, FIELD));

      expect(error.code).to.equal("BAD_DURATION");
      expect(error.message).to.contain("too long");
    });
  });

  describe("formatDuration(seconds)", () => {
    const cases: [number, string][] = [
      [0, "0s"],
      [0.09, "90ms"],
      [0.0005, "0.5ms"],
      [2.5, "2.5s"],
      [61, "1m1s"],
      [5400, "1h30m"],
      [5400.5, "1h30m0.5s"],
      [3600.001, "1h0.001s"],
      [93_600, "1d2h"],
    ];
    for (const [seconds, text] of cases) {
      it(`formatDuration(${seconds}) is "${text}"`, () => {
        expect(formatDuration(seconds)).to.equal(text);
      });
    }

    it("formatDuration(seconds) round-trips through parseDuration for whole milliseconds", () => {
      const tenDaysInMs = 10 * 86_400_000;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: tenDaysInMs }), (milliseconds) => {
          const seconds = milliseconds / 1000;
          expect(parseDuration(formatDuration(seconds), FIELD)).to.equal(seconds);
        }),
        { seed: 20_240_601, numRuns: 2000 },
      );
    });

    it("formatDuration(-1) and formatDuration(NaN) throw a RangeError", () => {
      expect(() => formatDuration(-1)).to.throw(RangeError);
      expect(() => formatDuration(Number.NaN)).to.throw(RangeError);
    });
  });

  describe("toMicros(seconds) and toSeconds(micros)", () => {
    it("MICROS_PER_SECOND is 1_000_000", () => {
      expect(MICROS_PER_SECOND).to.equal(1_000_000);
    });

    it("toMicros(seconds) rounds to whole microseconds", () => {
      expect(toMicros(1.5)).to.equal(1_500_000);
      expect(toMicros(0.1 + 0.2)).to.equal(300_000);
      expect(toMicros(0.0000004)).to.equal(0);
      expect(toMicros(0.0000006)).to.equal(1);
    });

    it("toSeconds(micros) inverts toMicros(seconds) for whole microseconds", () => {
      expect(toSeconds(1_500_000)).to.equal(1.5);
      expect(toSeconds(toMicros(0.3))).to.equal(0.3);
      expect(toSeconds(toMicros(5400))).to.equal(5400);
    });
  });
});
