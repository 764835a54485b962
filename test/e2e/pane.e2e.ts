/**
 * The task pane in a real browser: the built pane (dist/) served on localhost, office.js from
 * @microsoft/office-js in place of the CDN, headless Debian chromium driven by playwright-core.
 *
 * 1. Opened as a plain web page, the pane says to open it from Excel.
 * 2. With the test-only stand-in workbook (test/support/fake-excel.ts, installed through
 *    page.addInitScript as the global the pane honours only outside Office), a new user inserts
 *    the sample sheets, clicks Audit sheet and reads a coloured, worded result; the report sheets
 *    are in the workbook; clicking a problem row selects that row in the inventory.
 *
 * Needs chromium (/usr/bin/chromium, or CHROMIUM_PATH). The pane is built by jest.e2e.config.js's
 * globalSetup (or CALS_DIST=dist after `npm run build`). Writes test-results/pane-after-audit.png.
 */
import fs from "fs";
import http from "http";
import os from "os";
import path from "path";
import type { AddressInfo } from "net";
import ts from "typescript";
import { chromium, BrowserContext, Page } from "playwright-core";

const ROOT = path.resolve(__dirname, "..", "..");
/** The pane to test: CALS_DIST if given, else the build made by test/global-setup.ts. */
function distFolder(): string {
  if (process.env.CALS_DIST) return path.resolve(process.env.CALS_DIST);
  if (process.env.CALS_BUILD_ERROR) throw new Error(`The webpack build failed:\n${process.env.CALS_BUILD_ERROR}`);
  if (process.env.CALS_TEST_DIST) return process.env.CALS_TEST_DIST;
  return path.join(ROOT, "dist");
}
const OFFICE_DIST = path.join(ROOT, "node_modules", "@microsoft", "office-js", "dist");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OFFICE_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
const SCREENSHOT = path.join(ROOT, "test-results", "pane-after-audit.png");
const TEST_GLOBAL = "__CALS_TEST_ONLY_EXCEL_HOST__";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
  ".map": "application/json",
};

/** A tiny static server for dist/, on 127.0.0.1 only. */
function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The in-memory workbook, compiled for the browser, exposed as window.CalsFake. */
function fakeExcelScript(): string {
  const source = fs.readFileSync(path.join(ROOT, "test", "support", "fake-excel.ts"), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  return `(function () { var exports = {}; var module = { exports: exports };\n${js}\nwindow.CalsFake = exports; })();`;
}

/** Installs the stand-in workbook (one empty sheet, as a new workbook has) before the pane loads. */
function installWorkbook(): string {
  return `${fakeExcelScript()}
    (function () {
      var wb = new window.CalsFake.FakeWorkbook();
      wb.addSheet("Sheet1");
      window.${TEST_GLOBAL} = window.CalsFake.fakeHost(wb);
    })();`;
}

let server: http.Server;
let baseUrl: string;
let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  const DIST = distFolder();
  if (!fs.existsSync(path.join(DIST, "taskpane.html"))) {
    throw new Error(`No built pane in ${DIST}: run "npm run build" first (or set CALS_DIST).`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH).`);
  }
  server = await serve(DIST);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-e2e-profile-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 360, height: 1300 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  // office.js and the files it loads beside it, from the npm package; nothing else leaves the machine.
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(OFFICE_CDN)) {
      const file = path.join(OFFICE_DIST, path.basename(new URL(url).pathname));
      if (fs.existsSync(file)) {
        await route.fulfill({ path: file, contentType: "text/javascript; charset=utf-8" });
      } else {
        await route.fulfill({ status: 404, body: "" });
      }
    } else if (url.startsWith(baseUrl)) {
      await route.continue();
    } else {
      await route.abort();
    }
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

async function open(install: boolean): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (install) await page.addInitScript({ content: installWorkbook() });
  await page.goto(`${baseUrl}taskpane.html`);
  return { page, errors };
}

/** The stand-in workbook's state, read in the page. */
async function workbook(page: Page) {
  return page.evaluate((g) => {
    const wb = (window as unknown as Record<string, { workbook: import("../support/fake-excel").FakeWorkbook }>)[g].workbook;
    const summary = wb.sheetByName("CAL Summary");
    let banner: { word: string; style: Record<string, unknown> } | null = null;
    if (summary) {
      for (let r = 0; r < summary.cells.length && !banner; r++) {
        const v = summary.value(r, 0);
        if (v === "COMPLIANT" || v === "NOT COMPLIANT") banner = { word: String(v), style: summary.styleAt(r, 0) };
      }
    }
    return {
      sheets: wb.sheets.map((s) => s.name),
      active: wb.activeSheet?.name,
      selection: wb.selection,
      banner,
      settings: Object.fromEntries(wb.settings),
      syncs: wb.syncs,
    };
  }, TEST_GLOBAL);
}

test("outside Office, the pane says to open it from Excel", async () => {
  const { page, errors } = await open(false);
  await page.waitForFunction(() => /Open this page from Excel/.test(document.getElementById("status")?.textContent ?? ""), null, {
    timeout: 30_000,
  });
  expect(await page.locator("#app").isHidden()).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

test("a new user inserts the sample, audits it and reads a coloured, worded result", async () => {
  const { page, errors } = await open(true);
  await page.waitForSelector("#app:not([hidden])", { timeout: 30_000 });

  await page.getByRole("button", { name: "Insert sample inventory" }).click();
  await page.waitForFunction(() => /Inserted the sample inventory/.test(document.getElementById("status")?.textContent ?? ""));
  await page.getByRole("button", { name: "Insert owned licences table" }).click();
  await page.waitForFunction(() => /Inserted the owned licences/.test(document.getElementById("status")?.textContent ?? ""));
  // The pane picked the new sheets.
  expect(await page.evaluate(() => (document.getElementById("inventory-sheet") as unknown as { value: string }).value)).toBe("Inventory");
  expect(await page.evaluate(() => (document.getElementById("owned-sheet") as unknown as { value: string }).value)).toBe("Owned Licences");

  await page.getByRole("button", { name: "Audit sheet" }).click();
  await page.waitForSelector("#result:not([hidden])", { timeout: 60_000 });

  // The result card: the status in words and in colour, and the figures.
  const badge = page.locator("#result-status");
  expect(await badge.textContent()).toContain("NOT COMPLIANT");
  expect(await badge.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(255, 199, 206)");
  for (const id of ["#result-required", "#result-owned", "#result-short"]) {
    expect(await page.locator(id).textContent()).toMatch(/^\d[\d,]*$/);
  }
  expect(Number(await page.locator("#result-short").textContent())).toBeGreaterThan(0);
  expect(await page.locator("#result-cost").textContent()).toMatch(/^\d[\d,]*\.\d\d at example prices$/);
  expect(await page.locator("#status").textContent()).toMatch(/Audit done: NOT COMPLIANT/);

  // What was written into the workbook.
  const state = await workbook(page);
  expect(state.sheets).toEqual(["Sheet1", "Inventory", "Owned Licences", "CAL Summary", "CAL Assignments", "CAL Problems"]);
  expect(state.active).toBe("CAL Summary");
  expect(state.banner).toEqual({ word: "NOT COMPLIANT", style: expect.objectContaining({ fill: "#FFC7CE", fontColor: "#9C0006" }) });
  expect(state.settings["CALS.pane"]).toMatchObject({ inventorySheet: "Inventory", ownedSheet: "Owned Licences", mode: "auto" });

  // The problem rows; one, chosen by keyboard, selects its row in the inventory.
  const problems = page.locator("#problem-list button");
  expect(await problems.count()).toBeGreaterThanOrEqual(3);
  const first = problems.first();
  const label = (await first.textContent()) ?? "";
  const row = Number(/row (\d+)/.exec(label)?.[1]);
  await first.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /Selected row/.test(document.getElementById("status")?.textContent ?? ""));
  const after = await workbook(page);
  expect(after.active).toBe("Inventory");
  expect(after.selection).toEqual({ sheet: "Inventory", address: `Inventory!${row}:${row}` });

  // Back to the result for the picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.getElementById("status")!.textContent = "Audit done: NOT COMPLIANT. The report is on sheet \"CAL Summary\".";
  });
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

test("organisation-wide settings: a labelled check box, used by the audit and saved with the workbook", async () => {
  const { page } = await open(true);
  await page.waitForSelector("#app:not([hidden])", { timeout: 30_000 });
  await page.getByRole("button", { name: "Insert sample inventory" }).click();
  await page.waitForFunction(() => /Inserted the sample inventory/.test(document.getElementById("status")?.textContent ?? ""));
  await page.locator("#more summary").click();
  const journal = page.getByLabel(/journal rule covers the whole organisation/);
  expect(await journal.isVisible()).toBe(true);
  await journal.check();
  await page.getByRole("button", { name: "Audit sheet" }).click();
  await page.waitForFunction(() => /Audit done/.test(document.getElementById("status")?.textContent ?? ""), null, { timeout: 60_000 });
  const state = await workbook(page);
  const saved = Object.values(state.settings).find((v) => v && typeof v === "object" && "orgWide" in (v as object)) as { orgWide?: Record<string, boolean> };
  expect(saved?.orgWide?.journalWholeOrg).toBe(true);
  // The summary says which setting made every mailbox Enterprise.
  const said = await page.evaluate((g) => {
    const wb = (window as unknown as Record<string, { workbook: import("../support/fake-excel").FakeWorkbook }>)[g].workbook;
    const sheet = wb.sheetByName("CAL Summary")!;
    const text: string[] = [];
    for (let r = 0; r < sheet.cells.length; r++) for (let c = 0; c < 8; c++) text.push(String(sheet.value(r, c) ?? ""));
    return text.join(" ");
  }, TEST_GLOBAL);
  expect(said.replace(/\s+/g, " ")).toMatch(/journal rule for the whole organisation/);
  await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), "pane-settings.png"), fullPage: true });
  await page.close();
});

test("an audit of an empty sheet says what to do, in words", async () => {
  const { page } = await open(true);
  await page.waitForSelector("#app:not([hidden])", { timeout: 30_000 });
  await page.getByRole("button", { name: "Audit sheet" }).click();
  await page.waitForFunction(() => /is empty/.test(document.getElementById("status")?.textContent ?? ""), null, {
    timeout: 30_000,
  });
  const text = (await page.locator("#status").textContent()) ?? "";
  expect(text).not.toMatch(/at .*\.(js|ts):\d+|TypeError|undefined/);
  expect((await workbook(page)).sheets).toEqual(["Sheet1"]);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// The audit's Web Worker: the pane's thread stays free, Cancel is immediate, and where no
// worker can run the audit still runs, on the pane's thread.
// ---------------------------------------------------------------------------------------------

/** Counts the Workers the pane makes and ends (wraps the page's Worker before the pane loads). */
const COUNT_WORKERS = `(function () {
  var W = window.Worker;
  window.__workers = { made: 0, terminated: 0 };
  if (!W) return;
  window.Worker = class extends W {
    constructor(url, options) { super(url, options); window.__workers.made++; }
    terminate() { window.__workers.terminated++; super.terminate(); }
  };
})();`;

/**
 * A workbook the size of Excel's sheet: a header and 1,048,575 access rows (150,000 users,
 * 120,000 devices, 30 servers on 2016, 2019 and SE), made in the page before the pane loads.
 * Each sync answers in a later task, as Excel's round trip does.
 */
function installBigWorkbook(rows: number): string {
  return `${fakeExcelScript()}
    (function () {
      if (window.top !== window) return; // the pane's page only, not a frame office.js adds
      var wb = new window.CalsFake.FakeWorkbook({ taskPerSync: true });
      var versions = ["2016", "2019", "SE"];
      var values = new Array(${rows} + 1);
      values[0] = ["User", "Device", "Server", "Version"];
      for (var i = 0; i < ${rows}; i++) {
        var u = Math.floor(i / 7) % 150000;
        values[i + 1] = ["user" + u + "@contoso.com", "DEV-" + ((u * 7 + (i % 3)) % 120000), "EXCH" + (u % 30), versions[u % 3]];
      }
      wb.addSheet("Inventory", values);
      window.${TEST_GLOBAL} = window.CalsFake.fakeHost(wb);
    })();`;
}

/** Starts recording the page's long tasks (over 50 ms). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: { start: number; duration: number }[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: "longtask" });
  });
}

const statusText = (page: Page) => page.evaluate(() => document.getElementById("status")?.textContent ?? "");
const progressText = (page: Page) => page.evaluate(() => document.getElementById("progress-text")?.textContent ?? "");

async function openWith(scripts: string[]): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  for (const content of scripts) await page.addInitScript({ content });
  await page.goto(`${baseUrl}taskpane.html`);
  await page.waitForSelector("#app:not([hidden])", { timeout: 120_000 });
  return { page, errors };
}

/** The sample audit's answer as the pane shows it. */
async function auditSample(page: Page): Promise<{ status: string; required: string; short: string; sheets: string[] }> {
  await page.getByRole("button", { name: "Insert sample inventory" }).click();
  await page.waitForFunction(() => /Inserted the sample inventory/.test(document.getElementById("status")?.textContent ?? ""));
  await page.getByRole("button", { name: "Audit sheet" }).click();
  await page.waitForFunction(() => /Audit done/.test(document.getElementById("status")?.textContent ?? ""), null, { timeout: 60_000 });
  return {
    status: await statusText(page),
    required: (await page.locator("#result-required").textContent()) ?? "",
    short: (await page.locator("#result-short").textContent()) ?? "",
    sheets: (await workbook(page)).sheets,
  };
}

test("the audit runs in a worker, and where none can run it runs on the pane's thread with the same answer and nothing alarming", async () => {
  const inWorker = await openWith([installWorkbook(), COUNT_WORKERS]);
  const viaWorker = await auditSample(inWorker.page);
  expect(await inWorker.page.evaluate(() => (window as unknown as { __workers: object }).__workers)).toEqual({ made: 1, terminated: 1 });
  expect(inWorker.errors).toEqual([]);
  await inWorker.page.close();

  // No Worker at all (an old webview), and a worker script the server will not give.
  const noWorker = await openWith([installWorkbook(), "window.Worker = undefined;"]);
  expect(await auditSample(noWorker.page)).toEqual(viaWorker);
  expect(noWorker.errors).toEqual([]);
  await noWorker.page.close();

  const blocked = await context.newPage();
  await blocked.route("**/auditWorker.js", (route) => route.fulfill({ status: 404, body: "" }));
  await blocked.addInitScript({ content: installWorkbook() });
  await blocked.addInitScript({ content: COUNT_WORKERS });
  await blocked.goto(`${baseUrl}taskpane.html`);
  await blocked.waitForSelector("#app:not([hidden])", { timeout: 30_000 });
  const fallback = await auditSample(blocked);
  expect(fallback).toEqual(viaWorker);
  expect(fallback.status).not.toMatch(/worker|error/i);
  expect(await blocked.evaluate(() => (window as unknown as { __workers: { made: number } }).__workers.made)).toBe(1);
  await blocked.close();
});

test("at 1,048,575 rows the page answers all through the audit, and its longest block is measured", async () => {
  const ROWS = 1_048_575;
  const { page, errors } = await openWith([installBigWorkbook(ROWS), COUNT_WORKERS]);
  await watchLongTasks(page);
  const t0 = Date.now();
  await page.getByRole("button", { name: "Audit sheet" }).click();
  // Round trips into the page while the audit runs: each is answered when the thread is free.
  const answers: { phase: string; ms: number }[] = [];
  for (;;) {
    const asked = Date.now();
    const phase = await progressText(page);
    answers.push({ phase: phase.split(":")[0].replace(/[\d,…]+/g, "").trim(), ms: Date.now() - asked });
    if (/Audit done|Could not|error/i.test(await statusText(page))) break;
    if (Date.now() - t0 > 900_000) throw new Error("the audit took over 15 minutes");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const total = Date.now() - t0;
  expect(await statusText(page)).toMatch(/Audit done/);
  const long = await page.evaluate(() => (window as unknown as { __long: { start: number; duration: number }[] }).__long);
  const worst = Math.max(0, ...long.map((t) => t.duration));
  const slowest = Math.max(...answers.map((a) => a.ms));
  console.log(
    `1,048,575 rows: audit ${(total / 1000).toFixed(1)} s; long tasks ${long.length}, longest ${worst} ms; ` +
      `${answers.length} round trips into the page, slowest ${slowest} ms (${answers.filter((a) => /Auditing/.test(a.phase)).length} while auditing)`,
  );
  // A speed goal is measured, not a pass/fail of the suite (timings swing with the machine's load): the figures go to
  // test-results/pane-long-tasks.json, and CALS_LONG_TASK_MS=200 turns the budget into an assertion for a run
  // on a quiet machine.
  fs.mkdirSync("test-results", { recursive: true });
  fs.writeFileSync(
    "test-results/pane-long-tasks.json",
    JSON.stringify({ rows: ROWS, auditMs: total, longTasks: long.length, longestMs: worst, roundTrips: answers.length, slowestRoundTripMs: slowest }, null, 2),
  );
  if (process.env.CALS_LONG_TASK_MS) expect(worst).toBeLessThan(Number(process.env.CALS_LONG_TASK_MS));
  expect(answers.some((a) => /Auditing/.test(a.phase))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __workers: object }).__workers)).toEqual({ made: 1, terminated: 1 });
  expect((await workbook(page)).sheets).toEqual(expect.arrayContaining(["Inventory", "CAL Summary", "CAL Assignments"]));
  expect(errors).toEqual([]);
  await page.close();
}, 1_200_000);

test("Cancel during the audit stops the worker at once and leaves the workbook as it was", async () => {
  const { page } = await openWith([installBigWorkbook(1_048_575), COUNT_WORKERS]);
  const before = await workbook(page);
  await page.getByRole("button", { name: "Audit sheet" }).click();
  await page.waitForFunction(() => /Auditing/.test(document.getElementById("progress-text")?.textContent ?? ""), null, { timeout: 600_000 });
  const pressed = Date.now();
  await page.locator("#cancel").click();
  await page.waitForFunction(() => /Cancelled/.test(document.getElementById("status")?.textContent ?? ""), null, { timeout: 10_000 });
  const took = Date.now() - pressed;
  console.log(`Cancel while auditing 1,048,575 rows: the pane said so after ${took} ms`);
  expect(took).toBeLessThan(1000);
  expect(await page.evaluate(() => (window as unknown as { __workers: object }).__workers)).toEqual({ made: 1, terminated: 1 });
  const after = await workbook(page);
  expect(after.sheets).toEqual(before.sheets);
  expect(after.settings).toEqual(before.settings);
  await page.close();
}, 1_200_000);
