/**
 * Builds the command line (npm run build:cli) when lib/cli/cals.js is missing or older than
 * its TypeScript sources; shared by npm run demo and npm run bench.
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
    else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function ensureCli() {
  const sources = ["cli", "files", "audit", "report", "licensing"].map((d) => path.join(root, "src", d)).filter((d) => fs.existsSync(d));
  const built = fs.existsSync(bin) ? fs.statSync(bin).mtimeMs : 0;
  const config = fs.statSync(path.join(root, "tsconfig.cli.json")).mtimeMs;
  if (built === 0 || Math.max(config, ...sources.map(newest)) > built) {
    console.error("Building the command line (npm run build:cli)...");
    execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "build:cli"], { cwd: root, stdio: "inherit" });
  }
  return bin;
}

module.exports = { ensureCli, root, bin };
