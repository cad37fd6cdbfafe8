import { expect } from "chai";

import { quote, quotePath, show } from "../../sim/errors.js";
import { traceMessages } from "../../workloads/trace-messages.js";

describe("sim/errors", () => {
  describe("quote(value)", () => {
    it("quote(value) gives JSON, and String() for what JSON cannot hold", () => {
      expect(quote("api")).to.equal('"api"');
      expect(quote('a "b"\tc')).to.equal('"a \\"b\\"\\tc"');
      expect(quote(12.5)).to.equal("12.5");
      expect(quote(Number.NaN)).to.equal("NaN");
      expect(quote(-Infinity)).to.equal("-Infinity");
      expect(quote(["a", 1])).to.equal('["a",1]');
      expect(quote(undefined)).to.equal("undefined");
      expect(quote(10n)).to.equal("10");
    });

    it("quote(value) keeps a string of up to 80 characters whole: a 64-digit Azure hash reads in full", () => {
      const hash = "0123456789abcdef".repeat(4);
      expect(quote(hash)).to.equal(`"${hash}"`);
      expect(quote("x".repeat(80))).to.equal(`"${"x".repeat(80)}"`);
    });

    it("quote(value) cuts a longer string to its first 40 characters and says how long it was", () => {
      expect(quote("x".repeat(81))).to.equal(`"${"x".repeat(40)}"... (81 characters)`);
      expect(quote("y".repeat(200_000_000))).to.equal(
        `"${"y".repeat(40)}"... (200000000 characters)`,
      );
    });

    it("quote(value) cuts the JSON of a long list or object the same way", () => {
      const names = Array.from({ length: 30 }, (_, index) => `env${index}`);
      const text = JSON.stringify(names);

      expect(quote(names)).to.equal(`${text.slice(0, 40)}... (${text.length} characters)`);
    });

    it("quote(value) never cuts a character outside the BMP in half", () => {
      const value = `${"a".repeat(39)}${"\u{1F600}".repeat(30)}`;

      expect(quote(value)).to.equal(`"${"a".repeat(39)}"... (99 characters)`);
    });

    it("show(value) is quote(value)", () => {
      for (const value of ["api", "z".repeat(500), [1, 2], null]) {
        expect(show(value)).to.equal(quote(value));
      }
    });

    it("quote(value) keeps a trace message about a 1 MB cell on one short line", () => {
      const message = traceMessages.badValue(
        "a".repeat(1_000_000),
        { index: 3, name: "duration" },
        "a duration",
      );

      expect(message.length).to.be.below(200);
      expect(message).to.include("... (1000000 characters)");
    });
  });

  describe("quotePath(path)", () => {
    it("quotePath(path) keeps a long path whole: its end names the file", () => {
      const path = `/home/user/${"experiments/".repeat(20)}steady-api-pool-of-5`;

      expect(quotePath(path)).to.equal(JSON.stringify(path));
    });

    it("quotePath(path) cuts a 'path' longer than any the system takes, as quote() does", () => {
      const text = "p".repeat(5000);

      expect(quotePath(text)).to.equal(quote(text));
      expect(quotePath(text)).to.have.length.below(100);
    });
  });
});
