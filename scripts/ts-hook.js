/**
 * A tiny require hook: lets node load .ts files by transpiling them with the project's own
 * TypeScript (no type check, no new package). Used by scripts/bench.js:
 *   node -r ./scripts/ts-hook.js bench/bench.ts
 */
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require(require.resolve("typescript", { paths: [path.join(__dirname, "..")] }));

const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2020,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
};

require.extensions[".ts"] = function (module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
