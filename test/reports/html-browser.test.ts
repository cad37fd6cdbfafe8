import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";

import { chartsOf } from "../../reports/build-report.js";
import { decodePng } from "./png.js";
import { poolAndBaseline, removeSavedRuns, saveRun, type SavedFixture } from "./fixture.js";

/** CHROMIUM_PATH if set, else Debian's chromium package, which .ci/run installs. */
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
/** Where the test leaves its screenshot of the page, report.png, for a person to look at. */
const ARTIFACTS = resolve("test-artifacts");

/** Flags for a quiet, offline browser: nothing it does on its own reaches the network. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe("report.html in headless Chromium", function () {
  let fixture: SavedFixture;
  let profile: string;
  let browser: BrowserContext;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) {
        throw new Error(
          `Chromium not found at "${CHROMIUM}": .ci/run installs Debian's chromium, or set CHROMIUM_PATH`,
        );
      }
      this.skip();
    }
    fixture = await saveRun(poolAndBaseline);
    profile = await mkdtemp(join(tmpdir(), "reuse-sim-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", ...FLAGS],
    });
  });

  after(async () => {
    await browser?.close();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
    await removeSavedRuns();
  });

  it("opens with no console error and no request but for the file itself, draws in the embedded font, and shows every chart", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page: ${error.message}`));
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith("file:") || url.startsWith("data:")) await route.continue();
      else await route.abort();
    });

    const address = pathToFileURL(join(fixture.dir, "report.html")).href;
    await page.goto(address, { waitUntil: "load" });

    expect(problems).to.deep.equal([]);
    expect(requests).to.deep.equal([address]);

    // The charts' text is drawn in the embedded faces, not a font the machine may have.
    const faces = await page.evaluate(`(async () => {
      await document.fonts.ready;
      return [...document.fonts].map((face) => [face.family, face.weight, face.status]);
    })()`);
    expect(faces).to.deep.equal([
      ["DejaVu Sans", "normal", "loaded"],
      ["DejaVu Sans", "bold", "loaded"],
    ]);

    const charts = page.locator("figure.chart svg");
    expect(await charts.count()).to.equal(chartsOf(fixture.run).length);
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox();
      expect(await chart.isVisible()).to.equal(true);
      expect(box?.width).to.be.greaterThan(100);
      expect(box?.height).to.be.greaterThan(100);
    }

    await mkdir(ARTIFACTS, { recursive: true });
    const shot = await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    expect(decodePng(shot).width).to.equal(page.viewportSize()?.width);
    await page.close();
  });

  it("the request check sees a page's outside request (and stops it before it leaves)", async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route("**/*", async (route) => {
      outside.push(route.request().url());
      await route.abort();
    });
    await page.setContent(`<img src="http://127.0.0.1:9/probe.png">`);

    expect(outside).to.deep.equal(["http://127.0.0.1:9/probe.png"]);
    await page.close();
  });
});
