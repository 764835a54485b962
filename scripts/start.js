#!/usr/bin/env node
/*
 * `npm start`.
 *
 * Windows and macOS (where Excel desktop may be installed): sideload into Excel desktop with
 * office-addin-debugging, which also runs `npm run dev-server`.
 *
 * Elsewhere (Linux, CI, containers: no Excel desktop), or with `npm start -- --serve`: build
 * once (development), serve the add-in at https://localhost:3000 with the webpack dev server,
 * and print how to load it into Excel on the web. Stop with Ctrl+C (or `npm stop`).
 *
 * Failures are reported in one sentence (what failed, what to do), never as a stack trace.
 */
"use strict";

/* global require, process, console, __dirname */

const { spawn } = require("child_process");
const fs = require("fs");
const https = require("https");
const net = require("net");
const path = require("path");
const os = require("os");
const crypto = require("crypto");

const ROOT = path.resolve(__dirname, "..");
const MANIFEST = path.join(ROOT, "manifest.xml");
const PORT = Number(process.env.npm_package_config_dev_server_port) || 3000;
const URL = `https://localhost:${PORT}`;

/** Where npm start notes its pid for npm stop (one file per checkout). Same in stop.js. */
function pidFile(root) {
  const hash = crypto.createHash("sha1").update(root).digest("hex").slice(0, 8);
  return path.join(os.tmpdir(), `cals-dev-server-${hash}.json`);
}

function fail(sentence, code = 1) {
  console.error(`\nnpm start: ${sentence}\n`);
  process.exit(code);
}

function short(error) {
  const text = String((error && error.message) || error || "unknown error").trim();
  const line = text.split(/\r?\n/).find((l) => l.trim()) || text;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function box(lines) {
  const width = Math.max(...lines.map((l) => l.length));
  const rule = `+${"-".repeat(width + 2)}+`;
  return [rule, ...lines.map((l) => `| ${l.padEnd(width)} |`), rule].join("\n");
}

// ---------- Windows / macOS: Excel desktop ----------

function startDesktop() {
  const args = ["office-addin-debugging", "start", "manifest.xml", "desktop", "--app", "excel"];
  console.log(`Starting CALS in Excel desktop: npx ${args.join(" ")}`);
  const child = spawn("npx", args, {
    cwd: ROOT,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  child.on("error", (error) =>
    fail(
      `could not run office-addin-debugging (${short(error)}); run "npm install", then "npm start" again.`
    )
  );
  child.on("exit", (code, signal) => {
    if (code === 0 || signal) process.exit(0);
    fail(
      `office-addin-debugging could not sideload CALS into Excel desktop (exit code ${code}); check that Excel is ` +
        `installed and you are signed in, or run "npm start -- --serve" and upload manifest.xml in Excel on the web.`,
      code || 1
    );
  });
}

// ---------- Elsewhere: dev server + instructions for Excel on the web ----------

/** Resolves true when the port is free, false when something listens on it. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.once("listening", () => probe.close(() => resolve(true)));
    probe.listen(port);
  });
}

/** GET a page from the dev server (its certificate may be untrusted here). */
function fetchPage(url) {
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ status: 0, body: "" }));
  });
}

function loadTools() {
  try {
    return {
      webpack: require("webpack"),
      WebpackDevServer: require("webpack-dev-server"),
      makeConfig: require(path.join(ROOT, "webpack.config.js")),
    };
  } catch (error) {
    return fail(`the build tools could not be loaded (${short(error)}); run "npm install" first.`);
  }
}

/** Build errors, short: one block per error, no stacks, no child-compilation echoes. */
function errorsOf(stats) {
  const { errors = [] } = stats.toJson({
    all: false,
    errors: true,
    errorStack: false,
    errorDetails: false,
  });
  const own = errors.filter((e) => !/Child compilation failed/.test(e.message));
  const seen = new Set();
  const blocks = [];
  for (const e of own.length ? own : errors) {
    const message = e.message
      .split(/\r?\n/)
      .filter((l) => l.trim() && !/^\s+at /.test(l))
      .slice(0, 6)
      .join("\n");
    const text = `ERROR${e.moduleName ? ` in ${e.moduleName}` : ""}: ${message}`;
    if (!seen.has(text)) blocks.push(text);
    seen.add(text);
  }
  return blocks.join("\n");
}

function instructions() {
  return box([
    `CALS is served at ${URL}`,
    "",
    "There is no Excel desktop here, so load it into Excel on the web,",
    "in a browser on this machine (the add-in loads from localhost):",
    "  1. Open a workbook in Excel on the web (office.com).",
    "  2. Home > Add-ins > More add-ins (or Insert > Office Add-ins).",
    "  3. Upload My Add-in, and choose this folder's manifest.xml:",
    `     ${MANIFEST}`,
    "  4. Home > Audit licences opens the pane; type =CALS. in a cell.",
    "",
    `The browser must trust ${URL}: run`,
    `"npx office-addin-dev-certs install", or open`,
    `${URL}/taskpane.html once and accept the warning.`,
    "",
    "Stop: press Ctrl+C here (or run npm stop in another window).",
  ]);
}

async function serve() {
  const tools = loadTools();

  if (!(await portIsFree(PORT))) {
    const page = await fetchPage(`${URL}/taskpane.html`);
    if (page.status === 200 && page.body.includes("CALS")) {
      fail(
        `CALS is already being served at ${URL} (another npm start?); use that one, or stop it (npm stop) and run npm start again.`
      );
    }
    fail(`port ${PORT} is in use by another program; stop that program and run npm start again.`);
  }

  let config;
  try {
    config = await tools.makeConfig({ WEBPACK_SERVE: true }, { mode: "development" });
  } catch (error) {
    fail(`the build could not be configured (${short(error)}); check webpack.config.js.`);
  }
  config.mode = "development";
  config.infrastructureLogging = { level: "warn" };
  config.stats = "none"; // errors and rebuilds are reported briefly below

  // One compile does both jobs: the dev server serves it from memory and also writes it to
  // dist/ (not the hot-update files). A failed first build stops here with its errors.
  let compiler;
  try {
    compiler = tools.webpack(config);
  } catch (error) {
    fail(`the build could not run (${short(error)}); run "npm install", then npm start again.`);
  }

  const started = Date.now();
  let firstCompile = true;
  let firstCompiled;
  const firstCompileDone = new Promise((resolve) => (firstCompiled = resolve));
  compiler.hooks.done.tap("cals-start", (stats) => {
    const time = new Date().toLocaleTimeString();
    if (firstCompile) {
      firstCompile = false;
      if (stats.hasErrors()) {
        console.error(errorsOf(stats));
        fail("the build failed (errors above); fix them and run npm start again.");
      }
      console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      firstCompiled();
    } else if (stats.hasErrors()) {
      console.error(
        `\n${errorsOf(stats)}\n[${time}] CALS did not compile (errors above); fix them and save, the server rebuilds.`
      );
    } else {
      console.log(`[${time}] Rebuilt; reload the pane (or the workbook) to pick it up.`);
    }
    if (stats.hasWarnings()) {
      console.warn(
        `[${time}] ${stats.compilation.warnings.length} build warning(s); run npm run build:dev to see them.`
      );
    }
  });

  const server = new tools.WebpackDevServer(
    {
      ...config.devServer,
      port: PORT,
      devMiddleware: { writeToDisk: (file) => !/\.hot-update\./.test(file) },
    },
    compiler
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      fs.rmSync(pidFile(ROOT), { force: true });
    } catch {
      // nothing to clean
    }
    console.log("\nStopping the CALS dev server ...");
    try {
      await server.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);

  console.log("Building CALS (development) into dist/ and serving it ...");
  try {
    await server.start();
  } catch (error) {
    fail(
      `the dev server could not start on port ${PORT} (${short(error)}); free the port or fix the error, then run npm start again.`
    );
  }
  fs.writeFileSync(pidFile(ROOT), JSON.stringify({ pid: process.pid, port: PORT, root: ROOT }));
  process.on("exit", () => fs.rmSync(pidFile(ROOT), { force: true }));

  await firstCompileDone;
  const page = await fetchPage(`${URL}/taskpane.html`);
  if (page.status !== 200) {
    console.error(
      `\nnpm start: the dev server is running but ${URL}/taskpane.html did not answer (status ${page.status}); see the messages above.\n`
    );
  }
  console.log(`\n${instructions()}\n`);
}

// ---------- main ----------

process.on("unhandledRejection", (error) =>
  fail(
    `something failed unexpectedly (${short(error)}); run npm start again, or npm run dev-server to see details.`
  )
);
process.on("uncaughtException", (error) =>
  fail(
    `something failed unexpectedly (${short(error)}); run npm start again, or npm run dev-server to see details.`
  )
);

const forceServe = process.argv.includes("--serve") || process.env.CALS_START === "serve";
if (!fs.existsSync(MANIFEST))
  fail(`manifest.xml is missing from ${ROOT}; restore it (git checkout manifest.xml).`);
if ((process.platform === "win32" || process.platform === "darwin") && !forceServe) {
  startDesktop();
} else {
  serve();
}
