import { expect } from "chai";

import {
  checkReusePolicy,
  ReusePolicy,
  type ReusePolicyOptions,
} from "../../policies/reuse-policy.js";
import { UserError } from "../../sim/errors.js";
import { RecordingLogger } from "../../sim/logger.js";

const FIELD = "environments.api.policy";

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

function describeOptions(options: unknown): string {
  return JSON.stringify(options, (_key, value) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
  );
}

describe("policies/reuse-policy", () => {
  describe("ReusePolicy(options) accepts", () => {
    it("ReusePolicy() has the SDK's defaults: replicas 2, idle_ttl 30, concurrency 1, scaledown_ttl 30", () => {
      const policy = new ReusePolicy();

      expect(policy.replicas).to.deep.equal([2, 2]);
      expect(policy.idleTtlSeconds).to.equal(30);
      expect(policy.concurrency).to.equal(1);
      expect(policy.scaledownTtlSeconds).to.equal(30);
      expect(policy.warnings).to.deep.equal([]);
    });

    it("ReusePolicy({replicas: 3}) stores an int n as [n, n]", () => {
      const policy = new ReusePolicy({ replicas: 3 });

      expect(policy.replicas).to.deep.equal([3, 3]);
      expect(policy.minReplicas()).to.equal(3);
      expect(policy.maxReplicas()).to.equal(3);
    });

    it("ReusePolicy({replicas: [1, 5]}) autoscales between min and max", () => {
      const policy = new ReusePolicy({ replicas: [1, 5] });

      expect(policy.minReplicas()).to.equal(1);
      expect(policy.maxReplicas()).to.equal(5);
    });

    it("ReusePolicy({replicas: [0, 3]}) allows min 0", () => {
      expect(new ReusePolicy({ replicas: [0, 3] }).replicas).to.deep.equal([0, 3]);
    });

    it("ReusePolicy({replicas: tuple}) accepts a readonly pair", () => {
      const pair = [2, 4] as const;
      expect(new ReusePolicy({ replicas: pair }).replicas).to.deep.equal([2, 4]);
    });

    it("ReusePolicy(...).replicas cannot be changed", () => {
      const policy = new ReusePolicy({ replicas: [1, 2] });
      expect(Object.isFrozen(policy.replicas)).to.equal(true);
    });

    const ttls: [unknown, number][] = [
      [30, 30],
      [600, 600],
      ["90s", 90],
      ["5m", 300],
      ["1h30m", 5400],
      ["PT10M", 600],
      ["30.5s", 30.5],
    ];
    for (const [ttl, seconds] of ttls) {
      it(`ReusePolicy({idle_ttl: ${JSON.stringify(ttl)}}) idles for ${seconds} seconds`, () => {
        const policy = new ReusePolicy({ idle_ttl: ttl });
        expect(policy.getIdleTtl()).to.equal(seconds);
        expect(policy.idleTtlSeconds).to.equal(seconds);
      });

      it(`ReusePolicy({scaledown_ttl: ${JSON.stringify(ttl)}}) scales down after ${seconds} seconds`, () => {
        const policy = new ReusePolicy({ scaledown_ttl: ttl });
        expect(policy.getScaledownTtl()).to.equal(seconds);
        expect(policy.scaledownTtlSeconds).to.equal(seconds);
      });
    }

    it("ReusePolicy({concurrency: 8}) gives each replica 8 slots", () => {
      expect(new ReusePolicy({ concurrency: 8 }).concurrency).to.equal(8);
    });

    it("ReusePolicy(...).toJSON() is plain data in seconds", () => {
      const policy = new ReusePolicy({
        replicas: [1, 4],
        idle_ttl: "5m",
        concurrency: 4,
        scaledown_ttl: "PT1M",
      });

      expect(JSON.parse(JSON.stringify(policy))).to.deep.equal({
        replicas: [1, 4],
        idle_ttl: 300,
        concurrency: 4,
        scaledown_ttl: 60,
      });
    });
  });

  describe("ReusePolicy(options) rejects", () => {
    const rejected: [ReusePolicyOptions, string, string, string, string][] = [
      // options, field, quoted value, words in the message, code
      [{ replicas: [5, 2] }, "replicas", "[5, 2]", "min 5 greater than max 2", "BAD_POLICY"],
      [{ replicas: [-1, 3] }, "replicas", "[-1, 3]", "min -1 below 0", "BAD_POLICY"],
      [{ replicas: [0, 0] }, "replicas", "[0, 0]", "has max 0", "BAD_POLICY"],
      [{ replicas: 0 }, "replicas", "0", "leaves no replica", "BAD_POLICY"],
      [{ replicas: -2 }, "replicas", "-2", "leaves no replica", "BAD_POLICY"],
      [{ replicas: 1.5 }, "replicas", "1.5", "not a whole number", "BAD_POLICY"],
      [{ replicas: [1, 2.5] }, "replicas", "[1, 2.5]", "max 2.5", "BAD_POLICY"],
      [{ replicas: [1.5, 2] }, "replicas", "[1.5, 2]", "min 1.5", "BAD_POLICY"],
      [{ replicas: [1, "3"] }, "replicas", '[1, "3"]', 'max "3"', "BAD_POLICY"],
      [{ replicas: [1, 2, 3] }, "replicas", "[1, 2, 3]", "has 3 items", "BAD_POLICY"],
      [{ replicas: [] }, "replicas", "[]", "has 0 items", "BAD_POLICY"],
      [{ replicas: null }, "replicas", "null", "not a replica count", "BAD_POLICY"],
      [{ replicas: "3" }, "replicas", '"3"', "not a replica count", "BAD_POLICY"],
      [{ replicas: true }, "replicas", "true", "not a replica count", "BAD_POLICY"],
      [
        { idle_ttl: 30.5 },
        "idle_ttl",
        "30.5",
        "integer seconds or a duration string",
        "BAD_POLICY",
      ],
      [
        { idle_ttl: null },
        "idle_ttl",
        "null",
        "integer seconds or a duration string",
        "BAD_POLICY",
      ],
      [{ idle_ttl: 29 }, "idle_ttl", "29", "30 second minimum", "BAD_POLICY"],
      [{ idle_ttl: "10s" }, "idle_ttl", '"10s"', "30 second minimum", "BAD_POLICY"],
      [{ idle_ttl: -60 }, "idle_ttl", "-60", "30 second minimum", "BAD_POLICY"],
      [{ idle_ttl: "5 minutes" }, "idle_ttl", '"5 minutes"', "not a duration", "BAD_DURATION"],
      [{ scaledown_ttl: 10 }, "scaledown_ttl", "10", "30 second minimum", "BAD_POLICY"],
      [{ scaledown_ttl: "PT29S" }, "scaledown_ttl", '"PT29S"', "30 second minimum", "BAD_POLICY"],
      [{ scaledown_ttl: 45.5 }, "scaledown_ttl", "45.5", "integer seconds", "BAD_POLICY"],
      [{ scaledown_ttl: "P1M" }, "scaledown_ttl", '"P1M"', "months", "BAD_DURATION"],
      [{ replicas: 100001 }, "replicas", "100001", "at most 100000", "BAD_POLICY"],
      [{ replicas: [1, 1e6] }, "replicas", "[1, 1000000]", "at most 100000", "BAD_POLICY"],
      [{ idle_ttl: 1e14 }, "idle_ttl", "100000000000000", "too long", "BAD_DURATION"],
      [{ scaledown_ttl: 2e9 }, "scaledown_ttl", "2000000000", "too long", "BAD_DURATION"],
      [{ concurrency: 0 }, "concurrency", "0", "no task slot", "BAD_POLICY"],
      [{ concurrency: 1e6 }, "concurrency", "1000000", "at most 100000", "BAD_POLICY"],
      [{ concurrency: -1 }, "concurrency", "-1", "no task slot", "BAD_POLICY"],
      [{ concurrency: 1.5 }, "concurrency", "1.5", "not a whole number", "BAD_POLICY"],
      [{ concurrency: "2" }, "concurrency", '"2"', "not a whole number", "BAD_POLICY"],
      [{ concurrency: null }, "concurrency", "null", "not a whole number", "BAD_POLICY"],
    ];
    for (const [options, name, quoted, words, code] of rejected) {
      it(`ReusePolicy(${describeOptions(options)}) rejects ${name} ${quoted}: ${words}`, () => {
        const error = rejection(() => new ReusePolicy(options, { field: FIELD }));

        expect(error.code).to.equal(code);
        expect(error.message.startsWith(`${FIELD}.${name}: ${quoted} `)).to.equal(
          true,
          error.message,
        );
        expect(error.message).to.contain(words);
        expect(error.message).to.contain("expected");
        expect(error.message).not.to.contain("\n");
      });
    }

    it("ReusePolicy({replicas: [5, 2]}) rejects min > max with the whole message", () => {
      const error = rejection(() => new ReusePolicy({ replicas: [5, 2] }, { field: FIELD }));

      expect(error.message).to.equal(
        `${FIELD}.replicas: [5, 2] has min 5 greater than max 2; ` +
          `expected [min, max] with 0 <= min <= max and max >= 1`,
      );
    });

    it("ReusePolicy({replicas: [5, 2]}) without a field names the bare option", () => {
      const error = rejection(() => new ReusePolicy({ replicas: [5, 2] }));
      expect(error.message.startsWith("replicas: [5, 2] ")).to.equal(true, error.message);
    });

    it("ReusePolicy(null) rejects a policy that is not a mapping", () => {
      const options = null as unknown as ReusePolicyOptions;
      const error = rejection(() => new ReusePolicy(options, { field: FIELD }));

      expect(error.code).to.equal("BAD_POLICY");
      expect(error.message.startsWith(`${FIELD}: null is not a reuse policy`)).to.equal(true);
    });

    it("ReusePolicy({replicas: [5, 2], idle_ttl: 10}) throws the first error, in field order", () => {
      const error = rejection(() => new ReusePolicy({ replicas: [5, 2], idle_ttl: 10 }));
      expect(error.message.startsWith("replicas:")).to.equal(true, error.message);
    });
  });

  describe("ReusePolicy(options, {logger}) warns", () => {
    const singleSlot: ReusePolicyOptions[] = [
      { replicas: 1 },
      { replicas: [0, 1] },
      { replicas: [1, 1], concurrency: 1 },
    ];
    for (const options of singleSlot) {
      it(`ReusePolicy(${describeOptions(options)}) warns that a parent task can starve its children`, () => {
        const logger = new RecordingLogger();
        const policy = new ReusePolicy(options, { field: FIELD, logger });

        expect(logger.warnings).to.have.length(1);
        expect(policy.warnings).to.deep.equal(logger.warnings);
        const [warning] = logger.warnings;
        expect(warning.startsWith(`${FIELD}.replicas: `)).to.equal(true, warning);
        expect(warning).to.contain("parent task");
        expect(warning).to.contain("starve");
        expect(warning).not.to.contain("\n");
      });
    }

    it("ReusePolicy({replicas: 1}) without a logger still keeps the warning", () => {
      expect(new ReusePolicy({ replicas: 1 }).warnings).to.have.length(1);
    });

    const roomy: ReusePolicyOptions[] = [{ replicas: 2 }, { replicas: 1, concurrency: 2 }, {}];
    for (const options of roomy) {
      it(`ReusePolicy(${describeOptions(options)}) does not warn`, () => {
        const logger = new RecordingLogger();
        const policy = new ReusePolicy(options, { logger });

        expect(logger.warnings).to.deep.equal([]);
        expect(policy.warnings).to.deep.equal([]);
      });
    }
  });

  describe("checkReusePolicy(options, field)", () => {
    it("checkReusePolicy({}) finds nothing", () => {
      expect(checkReusePolicy({}, FIELD)).to.deep.equal([]);
    });

    it("checkReusePolicy(a policy with four problems) returns all of them, in field order", () => {
      const findings = checkReusePolicy(
        { replicas: [5, 2], idle_ttl: 10, concurrency: 0, scaledown_ttl: "5 minutes" },
        FIELD,
      );

      expect(findings.map((finding) => finding.field)).to.deep.equal([
        `${FIELD}.replicas`,
        `${FIELD}.idle_ttl`,
        `${FIELD}.concurrency`,
        `${FIELD}.scaledown_ttl`,
      ]);
      expect(findings.every((finding) => finding.level === "error")).to.equal(true);
    });

    it("checkReusePolicy({replicas: [-1, -2]}) reports min < 0, max <= 0 and min > max", () => {
      const messages = checkReusePolicy({ replicas: [-1, -2] }).map((finding) => finding.message);

      expect(messages).to.have.length(3);
      expect(messages[0]).to.contain("min -1 below 0");
      expect(messages[1]).to.contain("max -2");
      expect(messages[2]).to.contain("min -1 greater than max -2");
    });

    const sdkFlags: [ReusePolicyOptions, boolean][] = [
      // The SDK lets these through silently.
      [{ replicas: [5, 2] }, true],
      [{ replicas: [0, 0] }, true],
      [{ replicas: [-1, 2] }, true],
      [{ replicas: 0 }, true],
      [{ replicas: [1, 2.5] }, true],
      [{ concurrency: 0 }, true],
      [{ concurrency: 2.5 }, true],
      // The SDK's own checks.
      [{ replicas: 1.5 }, false],
      [{ replicas: [1, 2, 3] }, false],
      [{ replicas: null }, false],
      [{ replicas: "2" }, false],
      [{ idle_ttl: 30.5 }, false],
      [{ idle_ttl: 10 }, false],
      [{ scaledown_ttl: "10s" }, false],
      [{ scaledown_ttl: "soon" }, false],
      [{ replicas: 1 }, false],
    ];
    for (const [options, sdkAccepts] of sdkFlags) {
      it(`checkReusePolicy(${describeOptions(options)}) has sdkAccepts ${sdkAccepts}`, () => {
        const findings = checkReusePolicy(options, FIELD);

        expect(findings).to.have.length(1);
        expect(findings[0].sdkAccepts).to.equal(sdkAccepts);
      });
    }

    it("checkReusePolicy({replicas: 1}) reports the SDK's warning as a warning", () => {
      const [finding] = checkReusePolicy({ replicas: 1 }, FIELD);

      expect(finding.level).to.equal("warning");
      expect(finding.field).to.equal(`${FIELD}.replicas`);
    });

    it("checkReusePolicy(values that are not a mapping) never throws", () => {
      for (const options of [null, undefined, 5, "policy", [1, 2]]) {
        const findings = checkReusePolicy(options as unknown as ReusePolicyOptions, FIELD);

        expect(findings).to.have.length(1);
        expect(findings[0].level).to.equal("error");
        expect(findings[0].field).to.equal(FIELD);
      }
    });

    it("checkReusePolicy(options) agrees with ReusePolicy(options) on the first error", () => {
      const options = { replicas: [1, 2, 3], idle_ttl: "5 minutes" };
      const [first] = checkReusePolicy(options, FIELD);
      const error = rejection(() => new ReusePolicy(options, { field: FIELD }));

      expect(error.message).to.equal(first.message);
      expect(error.code).to.equal(first.code);
    });
  });
});
