import { expect } from "chai";

import { startProgress } from "../../cli/progress.js";
import { RecordingLogger } from "../../sim/logger.js";
import { Capture } from "./capture.js";

describe("cli/progress", () => {
  it("startProgress(stream, horizon, true) writes nothing when the stream is not a terminal", () => {
    const stream = new Capture(false);
    const progress = startProgress(stream, 3600, true);
    progress.update(1800);
    progress.stop();

    expect(stream.text).to.equal("");
  });

  it("startProgress(stream, horizon, false) writes nothing on a terminal either (--quiet)", () => {
    const stream = new Capture(true);
    const progress = startProgress(stream, 3600, false);
    progress.update(1800);
    progress.stop();

    expect(stream.text).to.equal("");
  });

  it("startProgress(tty, 3600, true) shows the share of the horizon simulated, then clears its line", async () => {
    const stream = new Capture(true);
    const progress = startProgress(stream, 3600, true);
    await new Promise((done) => setTimeout(done, 300)); // the bar redraws at most 8 times a second
    progress.update(1800);
    progress.stop();

    expect(stream.text).to.match(/simulating \[[^\]]*\] 0% \| 0s of 1h/);
    expect(stream.text).to.match(/simulating \[[^\]]*\] 50% \| 30m of 1h/);
    expect(stream.text).to.include("\x1b[2K"); // erase the line
  });

  it("startProgress(tty, Infinity, true) counts simulated time, since a trace's length is unknown", () => {
    const stream = new Capture(true);
    const progress = startProgress(stream, Number.POSITIVE_INFINITY, true);
    progress.stop();

    expect(stream.text).to.include("simulating | 0s simulated");
    expect(stream.text).to.not.include("%");
  });

  it("progress.wrap(logger) clears the bar's line before a warning", () => {
    const stream = new Capture(true);
    const logger = new RecordingLogger();
    const progress = startProgress(stream, 60, true);
    progress.wrap(logger).warn("careful");
    progress.stop();

    expect(logger.warnings).to.deep.equal(["careful"]);
    expect(stream.text).to.include("\r\x1b[2K");
  });
});
