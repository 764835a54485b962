/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/lib/", "\\.e2e\\."],
  // One production webpack build shared by test/manifest.test.ts and test/bundle.test.ts.
  globalSetup: "<rootDir>/test/global-setup.ts",
  moduleNameMapper: {
    // office-addin-mock 4 requires office-addin-manifest, whose entry pulls ESM-only
    // modules jest 30 cannot load; the one file it needs is plain CommonJS.
    "^office-addin-manifest$": "office-addin-manifest/lib/officeApp.js",
  },
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
};
