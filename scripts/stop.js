#!/usr/bin/env node
/*
 * `npm stop`: the mirror of scripts/start.js.
 *
 * Windows and macOS: office-addin-debugging stop (removes the sideloaded add-in and stops
 * the dev server it started). Elsewhere: stop the dev server `npm start` started in this
 * folder (it notes its pid in a temp file); if there is none, say how to stop it by hand.
 */
"use strict";

/* global require, process, console, __dirname */

const { spawn } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

/** Where npm start notes its pid for npm stop (one file per checkout). Same in start.js. */
function pidFile(root) {
  const hash = crypto.createHash("sha1").update(root).digest("hex").slice(0, 8);
  return path.join(os.tmpdir(), `cals-dev-server-${hash}.json`);
}

/** Stop the dev server that `npm start` (serve mode) started here. True if there was one. */
function stopServedDevServer() {
  const file = pidFile(ROOT);
  let info;
  try {
    info = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return false;
  }
  const pid = Number(info && info.pid);
  try {
    process.kill(pid, 0); // still running?
  } catch {
    fs.rmSync(file, { force: true }); // stale note
    return false;
  }
  // On Linux, make sure the pid is still our start script, not a reused pid.
  if (process.platform === "linux") {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes("start.js")) {
        fs.rmSync(file, { force: true });
        return false;
      }
    } catch {
      // no /proc: trust the note
    }
  }
  try {
    process.kill(pid, "SIGTERM");
    console.log(
      `Stopped the CALS dev server (pid ${pid}) on https://localhost:${info.port || 3000}.`
    );
    return true;
  } catch (error) {
    console.error(
      `npm stop: could not stop the CALS dev server (pid ${pid}: ${error.code || error.message}); press Ctrl+C in the window running npm start.`
    );
    process.exit(1);
  }
}

function stopDesktop() {
  const args = ["office-addin-debugging", "stop", "manifest.xml"];
  const child = spawn("npx", args, {
    cwd: ROOT,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  child.on("error", (error) => {
    console.error(
      `npm stop: could not run office-addin-debugging (${error.message}); run "npm install", or close Excel and press Ctrl+C in the npm start window.`
    );
    process.exit(1);
  });
  child.on("exit", (code) => {
    if (code !== 0) {
      console.error(
        `npm stop: office-addin-debugging stop failed (exit code ${code}); close Excel and press Ctrl+C in the npm start window.`
      );
    }
    process.exit(code || 0);
  });
}

const stoppedServer = stopServedDevServer();
if (process.platform === "win32" || process.platform === "darwin") {
  stopDesktop();
} else if (!stoppedServer) {
  console.log(
    "No CALS dev server started by npm start is running here; if one is, press Ctrl+C in its window " +
      "(or stop the process listening on port 3000)."
  );
}
