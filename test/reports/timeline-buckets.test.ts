import { expect } from "chai";

import { TimelineAggregator } from "../../reports/timeline-buckets.js";
import type { TimelineRow } from "../../sim/timeline.js";

function row(time: number, values: Partial<TimelineRow> = {}): TimelineRow {
  return {
    time,
    env: "api",
    starting: 0,
    ready: 0,
    busy: 0,
    busySlots: 0,
    waiting: 0,
    peakReplicas: 0,
    peakWaiting: 0,
    replicaStarts: 0,
    envCreations: 0,
    ...values,
  };
}

describe("reports/timeline-buckets", () => {
  it("TimelineAggregator keeps one bucket a row while the rows fit", () => {
    const aggregator = new TimelineAggregator(10, 30, ["api"], 5);
    [0, 10, 20].forEach((time) => aggregator.add(row(time, { ready: 2, busy: 1 })));
    const { bucketSeconds, byEnvironment } = aggregator.result();

    expect(bucketSeconds).to.equal(10);
    expect(byEnvironment.get("api")?.map((b) => [b.startSeconds, b.idle, b.busy])).to.deep.equal([
      [0, 1, 1],
      [10, 1, 1],
      [20, 1, 1],
    ]);
  });

  it("TimelineAggregator groups rows into round buckets: means weighted by time, peaks and counts", () => {
    // 90 s of 1 s rows into at most 10 buckets: 9 rows would do, a 10 s bucket reads better.
    const aggregator = new TimelineAggregator(1, 90, ["api"], 10);
    for (let time = 0; time < 90; time++) {
      aggregator.add(
        row(time, { ready: time < 5 ? 4 : 0, peakReplicas: time === 3 ? 7 : 1, replicaStarts: 1 }),
      );
    }
    const { bucketSeconds, byEnvironment } = aggregator.result();
    const first = byEnvironment.get("api")?.[0];

    expect(bucketSeconds).to.equal(10);
    expect(byEnvironment.get("api")).to.have.length(9);
    expect(first).to.include({
      startSeconds: 0,
      endSeconds: 10,
      idle: 2,
      peakReplicas: 7,
      replicaStarts: 10,
    });
  });

  it("TimelineAggregator weighs the run's last, partial row by its own length", () => {
    const aggregator = new TimelineAggregator(10, 25, ["api"], 1);
    aggregator.add(row(0, { waiting: 1 }));
    aggregator.add(row(10, { waiting: 1 }));
    aggregator.add(row(20, { waiting: 6 }));
    const [bucket] = aggregator.result().byEnvironment.get("api") ?? [];

    // (1 x 10 + 1 x 10 + 6 x 5) / 25 = 2
    expect(bucket).to.include({ startSeconds: 0, endSeconds: 25, waiting: 2 });
  });

  it("TimelineAggregator.add(row) is false for an environment it was not told of", () => {
    expect(new TimelineAggregator(1, 10, ["api"]).add(row(0, { env: "web" }))).to.equal(false);
  });
});
