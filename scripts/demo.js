#!/usr/bin/env node
/**
 * npm run demo: builds the command line if it is missing or older than its sources, audits
 * the Contoso sample (assets/sample-*.csv), writes out/demo-audit.xlsx and prints the summary.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { ensureCli, root } = require("./ensure-cli");

const bin = ensureCli();

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
