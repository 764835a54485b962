#!/usr/bin/env node
/**
 * npm run package: the add-in, built for its real host, as a folder ready for static hosting.
 *
 *   CALS_HOST=https://cals.contoso.com/ npm run package            builds, writes deploy/
 *   npm run package -- --host https://cals.contoso.com/ --out site   the same, named on the line
 *   npm run package -- --host ... --from dist                        packages a build already made for that host
 *
 * The folder is the site's root: the add-in's files sit under the host's path (deploy/cals/... for
 * https://contoso.com/cals/), with manifest.xml among them (the file an admin uploads), plus the
 * settings custom functions need from the server, written for two common static hosts:
 * staticwebapp.config.json (Azure Static Web Apps) and _headers (Netlify, Cloudflare Pages).
 * The README gives the same settings for IIS, nginx and Azure Blob Storage. Refuses to run
 * without a real host: a package for localhost or an example name would load nowhere.
 */
"use strict";

/* global require, process, console, __dirname, module */

const fs = require("fs");
const path = require("path");
const { parseHost, isRealHost, toHost } = require("./host");

const ROOT = path.join(__dirname, "..");

/**
 * The response headers Excel needs: functions.json and functions.js are fetched from Office's
 * own origin (Excel on the web), so they need CORS; each file needs its right content type (a
 * JSON or script served as text/plain or octet-stream is refused); no-cache on what names the
 * code, so an update reaches users at their next start rather than a stale cached copy.
 */
const JS = "text/javascript; charset=utf-8";
function headerRules(prefix) {
  const cors = { "Access-Control-Allow-Origin": "*" };
  const fresh = { "Cache-Control": "no-cache" };
  return [
    { file: "functions.json", headers: { ...cors, ...fresh, "Content-Type": "application/json; charset=utf-8" } },
    { file: "functions.js", headers: { ...cors, ...fresh, "Content-Type": JS } },
    { file: "taskpane.js", headers: { ...fresh, "Content-Type": JS } },
    { file: "taskpane.html", headers: { ...fresh, "Content-Type": "text/html; charset=utf-8" } },
    { file: "manifest.xml", headers: { ...fresh, "Content-Type": "application/xml; charset=utf-8" } },
  ].map((r) => ({ route: `${prefix}${r.file}`, headers: r.headers }));
}

const MIME_TYPES = {
  ".json": "application/json",
  ".js": "text/javascript",
  ".xml": "application/xml",
  ".html": "text/html",
  ".css": "text/css",
  ".png": "image/png",
};

/** Azure Static Web Apps: https://learn.microsoft.com/azure/static-web-apps/configuration */
function staticWebAppConfig(prefix) {
  return {
    routes: headerRules(prefix).map((r) => ({ route: r.route, headers: r.headers })),
    mimeTypes: MIME_TYPES,
    globalHeaders: { "X-Content-Type-Options": "nosniff" },
  };
}

/** Netlify and Cloudflare Pages read the same _headers file. */
function headersFile(prefix) {
  const blocks = headerRules(prefix).map((r) => [r.route, ...Object.entries(r.headers).map(([k, v]) => `  ${k}: ${v}`)].join("\n"));
  return `/*\n  X-Content-Type-Options: nosniff\n\n${blocks.join("\n\n")}\n`;
}

function parseArgs(argv) {
  const args = { host: process.env.CALS_HOST, out: "deploy", from: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === "--host") args.host = value();
    else if (flag === "--out") args.out = value();
    else if (flag === "--from") args.from = value();
    else throw new Error(`Unknown option ${argv[i]}. Use --host URL, --out FOLDER, --from BUILD.`);
  }
  return args;
}

/** The host to package for, or a one-line reason why not. */
function checkHost(value) {
  if (value === undefined || String(value).trim() === "") {
    return { error: "npm run package needs the address the add-in will be served from: CALS_HOST=https://cals.contoso.com/ npm run package" };
  }
  const parsed = parseHost(value);
  if (parsed.error) return parsed;
  if (!isRealHost(parsed.url)) {
    return { error: `${parsed.url} is not a host your users can reach (localhost, or a name kept for examples and tests): give the real https address.` };
  }
  return parsed;
}

async function build(base, outDir) {
  const webpack = require("webpack");
  const makeConfig = require(path.join(ROOT, "webpack.config.js"));
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const config = await makeConfig({ WEBPACK_BUILD: true, CALS_HOST: base }, { mode: "production" });
    config.mode = "production";
    config.context = ROOT;
    config.devtool = false; // no source maps on the public site
    config.output = { ...config.output, path: outDir };
    await new Promise((resolve, reject) =>
      webpack(config, (err, stats) => {
        if (err) return reject(err);
        if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
        resolve();
      }),
    );
  } finally {
    process.chdir(cwd);
  }
}

/** Copies a build made elsewhere, after checking it was made for this host. */
function copyBuild(from, base, siteDir) {
  const manifest = path.join(from, "manifest.xml");
  if (!fs.existsSync(manifest)) throw new Error(`${from} holds no build (no manifest.xml): run CALS_HOST=${base} npm run build first, or leave out --from.`);
  const text = fs.readFileSync(manifest, "utf8");
  if (!text.includes(`"${base}taskpane.html"`)) {
    throw new Error(`The build in ${from} was not made for ${base}: run CALS_HOST=${base} npm run build, or leave out --from.`);
  }
  fs.cpSync(from, siteDir, { recursive: true, filter: (src) => !src.endsWith(".map") });
}

async function main(argv = process.argv.slice(2)) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  const host = checkHost(args.host);
  if (host.error) {
    console.error(host.error);
    return 1;
  }
  const base = host.url;
  const prefix = new URL(base).pathname; // "/" or "/cals/"
  const out = path.resolve(args.out);
  const siteDir = path.join(out, ...prefix.split("/").filter(Boolean));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(siteDir, { recursive: true });
  try {
    if (args.from) copyBuild(path.resolve(args.from), base, siteDir);
    else await build(base, siteDir);
  } catch (e) {
    console.error(`The build failed: ${e.message}`);
    return 1;
  }
  fs.writeFileSync(path.join(out, "staticwebapp.config.json"), `${JSON.stringify(staticWebAppConfig(prefix), null, 2)}\n`);
  fs.writeFileSync(path.join(out, "_headers"), headersFile(prefix));
  const shown = (p) => (path.relative(process.cwd(), p).startsWith("..") ? p : path.relative(process.cwd(), p) || ".");
  const manifest = shown(path.join(siteDir, "manifest.xml"));
  console.log(
    `CALS packaged for ${base} in ${shown(out)}/: publish that folder as the site's root, ` +
      `check ${toHost("https://localhost:3000/functions.json", base)} opens, then upload ${manifest} in the Microsoft 365 admin center (README: Deploy to your organisation).`,
  );
  return 0;
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code));
}

module.exports = { main, checkHost, headerRules, staticWebAppConfig, headersFile };
