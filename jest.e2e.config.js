/**
 * The browser test (npm run test:e2e): the built pane in headless Debian chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH), driven by playwright-core. The pane is built by the
 * same globalSetup as the unit tests' build tests (a production webpack build into a temporary
 * folder, so a stale dist/ is never what is tested); CALS_DIST=dist tests an existing build.
 * jest.config.js ignores these files (".e2e."), so `npm test` never needs a browser.
 */
/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.ts"],
  testTimeout: 120000,
  globalSetup: "<rootDir>/test/global-setup.ts",
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
};
