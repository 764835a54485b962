/*
 * Jest globalSetup: one production webpack build (for TEST_HOST), shared by test/manifest.test.ts and
 * test/bundle.test.ts. It builds into a fresh temporary folder (not dist/, so a test run
 * never races a `npm run build` or `npm start` in the same tree) and hands the folder to
 * the tests in process.env.CALS_TEST_DIST. A failed build does not abort the whole jest run
 * (the unit tests do not need it): the error goes to CALS_BUILD_ERROR and the two build
 * tests fail with it. Runs that select no build test skip the build.
 *
 * CALS_DIST=/some/dist npx jest ...   reuses an existing build instead of building.
 */
/* global process, require, __dirname */

import fs from "fs";
import os from "os";
import path from "path";
import webpack from "webpack";

export const ROOT = path.resolve(__dirname, "..");
/**
 * The host the tests' build is for, as `CALS_HOST=... npm run build` would be given: a real-looking
 * production address with a folder, so every URL the build writes can be checked against it.
 */
export const TEST_HOST = "https://addins.contoso.com/cals/";
const BUILD_TESTS = ["manifest.test.ts", "bundle.test.ts", "package.test.ts"].map((f) => path.join(ROOT, "test", f));
const TMP_PREFIX = "cals-jest-dist-";

/** The built dist folder for the tests; throws the build error if the build failed. */
export function builtDist(): string {
  if (process.env.CALS_BUILD_ERROR)
    throw new Error(`The webpack build failed:\n${process.env.CALS_BUILD_ERROR}`);
  const dist = process.env.CALS_TEST_DIST;
  if (!dist || !fs.existsSync(dist)) {
    throw new Error(
      "No build to test: run jest with the globalSetup in jest.config.js (test/global-setup.ts)."
    );
  }
  return dist;
}

/** Does this run select a test that needs the build? (No patterns = every test.) */
function runNeedsBuild(globalConfig: unknown): boolean {
  try {
    const config = globalConfig as { testPathPatterns?: { patterns?: string[] } };
    const patterns = config.testPathPatterns?.patterns ?? [];
    if (patterns.length === 0) return true;
    return patterns.some((p) =>
      BUILD_TESTS.some(
        (file) =>
          new RegExp(p, "i").test(file) || new RegExp(p, "i").test(file.split(path.sep).join("/"))
      )
    );
  } catch {
    return true;
  }
}

/** Remove build folders left by earlier runs (older than an hour, so never a concurrent run's). */
function removeStaleBuilds(): void {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const dir = path.join(tmp, name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > 3600_000)
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours to worry about
    }
  }
}

/** The build's errors, one line each, without the html plugin's child-compilation echo. */
function buildErrors(stats: webpack.Stats): string {
  const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
  const own = errors.filter((e) => !/Child compilation failed/.test(e.message));
  const lines = (own.length ? own : errors).map(
    (e) => `ERROR${e.moduleName ? ` in ${e.moduleName}` : ""}: ${e.message.split("\n")[0]}`
  );
  return [...new Set(lines)].join("\n");
}

async function build(outDir: string): Promise<void> {
  // The config resolves ./src/... and the metadata plugin's input against the working directory.
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const makeConfig = require(path.join(ROOT, "webpack.config.js"));
    const config = await makeConfig({ WEBPACK_BUILD: true, CALS_HOST: TEST_HOST }, { mode: "production" });
    config.mode = "production";
    config.context = ROOT;
    config.devtool = false;
    config.output = { ...config.output, path: outDir };
    config.infrastructureLogging = { level: "error" };
    await new Promise<void>((resolve, reject) => {
      webpack(config, (err, stats) => {
        if (err) return reject(err);
        if (!stats || stats.hasErrors()) {
          return reject(new Error(stats ? buildErrors(stats) : "webpack gave no stats"));
        }
        resolve();
      });
    });
  } finally {
    process.chdir(cwd);
  }
}

export default async function globalSetup(globalConfig: unknown): Promise<void> {
  delete process.env.CALS_BUILD_ERROR;
  delete process.env.CALS_TEST_DIST;
  if (process.env.CALS_DIST) {
    process.env.CALS_TEST_DIST = path.resolve(process.env.CALS_DIST); // reuse a given build
    return;
  }
  if (!runNeedsBuild(globalConfig)) return;
  removeStaleBuilds();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), TMP_PREFIX));
  try {
    await build(outDir);
    process.env.CALS_TEST_DIST = outDir;
  } catch (error) {
    process.env.CALS_BUILD_ERROR = error instanceof Error ? error.message : String(error);
  }
}
