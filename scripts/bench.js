#!/usr/bin/env node
/**
 * npm run bench: builds the command line when it is missing or stale, then runs
 * bench/bench.ts (loaded through scripts/ts-hook.js, no extra package). Arguments pass
 * through: npm run bench -- --rows 200000 --engine-only
 */
"use strict";
const path = require("path");
const fs = require("fs");
const { execFileSync } = require("child_process");

const root = path.join(__dirname, "..");
const bin = path.join(root, "lib", "cli", "cals.js");

function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.ts$/.test(entry.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

if (!process.argv.includes("--engine-only")) {
  const sources = ["cli", "files", "audit", "report", "licensing"].map((d) => path.join(root, "src", d)).filter((d) => fs.existsSync(d));
  const built = fs.existsSync(bin) ? fs.statSync(bin).mtimeMs : 0;
  if (built === 0 || Math.max(...sources.map(newest)) > built) {
    console.error("Building the command line (npm run build:cli)...");
    execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "build:cli"], { cwd: root, stdio: "inherit" });
  }
}

require("./ts-hook");
require(path.join(root, "bench", "bench.ts"))
  .main()
  .then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
