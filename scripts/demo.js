#!/usr/bin/env node
/**
 * npm run demo: builds the command line if it is missing or older than its sources, audits
 * the Contoso sample (assets/sample-*.csv), writes out/demo-audit.xlsx and prints the summary.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync, spawnSync } = require("child_process");

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

const sources = ["cli", "files", "audit", "report", "licensing"].map((d) => path.join(root, "src", d)).filter((d) => fs.existsSync(d));
const built = fs.existsSync(bin) ? fs.statSync(bin).mtimeMs : 0;
if (built === 0 || Math.max(...sources.map(newest), fs.statSync(path.join(root, "tsconfig.cli.json")).mtimeMs) > built) {
  console.error("Building the command line (npm run build:cli)...");
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "build:cli"], { cwd: root, stdio: "inherit" });
}

fs.mkdirSync(path.join(root, "out"), { recursive: true });
const args = [
  "audit",
  "assets/sample-inventory.csv",
  "--owned",
  "assets/sample-owned.csv",
  // the sample's unit prices (USD, an example: prices are always inputs)
  "--user-price",
  "82",
  "--device-price",
  "76",
  "--enterprise-user-price",
  "51",
  "--enterprise-device-price",
  "49",
  "--out",
  "out/demo-audit.xlsx",
];
console.log(`$ cals ${args.join(" ")}\n`);
const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit" });
process.exitCode = r.status === null ? 1 : r.status;
