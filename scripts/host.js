/**
 * Where the built add-in will be served from. Every URL Excel follows (manifest.xml,
 * functions.json's help links) is written for one host: CALS_HOST, else the dev server.
 * webpack.config.js builds with it; scripts/package.js refuses to package without a real one.
 */
"use strict";

/* global module */

const DEV_HOST = "https://localhost:3000/";

/** Names kept for examples and tests (RFC 2606/6761) and machine-local ones: nothing a tenant can load. */
const NOT_REAL = [
  /(^|\.)example\.(com|org|net)$/,
  /(^|\.)example$/,
  /\.(test|invalid|localhost|local)$/,
  /^localhost$/,
  /^127\./,
  /^\[?::1\]?$/,
  /^0\.0\.0\.0$/,
];

/**
 * CALS_HOST as a base URL ending in "/", or an error saying what is wrong with it.
 * Office loads add-ins over https only, and the URL is a folder: no query, no fragment.
 */
function parseHost(value) {
  const text = String(value ?? "").trim();
  let url;
  try {
    url = new URL(text);
  } catch {
    return { error: `CALS_HOST "${text}" is not a URL: give the https address the add-in will be served from, e.g. https://cals.contoso.com/` };
  }
  if (url.protocol !== "https:") return { error: `CALS_HOST "${text}" must start with https:// (Office loads add-ins over HTTPS only).` };
  if (url.search || url.hash || url.username || url.password) {
    return { error: `CALS_HOST "${text}" must be a plain folder address: no query, fragment or user name.` };
  }
  const base = url.href.endsWith("/") ? url.href : `${url.href}/`;
  return { url: base };
}

/** True when a tenant could reach the host: not localhost, not a reserved example or test name. */
function isRealHost(base) {
  const name = new URL(base).hostname.toLowerCase();
  return !NOT_REAL.some((pattern) => pattern.test(name));
}

/**
 * The host a build is for: { url, given } from CALS_HOST (webpack --env CALS_HOST=... first,
 * then the environment). Throws with a one-line reason when CALS_HOST is given but unusable.
 */
function buildHost(env = {}, processEnv = {}) {
  const value = env.CALS_HOST ?? processEnv.CALS_HOST;
  if (value === undefined || String(value).trim() === "") return { url: DEV_HOST, given: false };
  const parsed = parseHost(value);
  if (parsed.error) throw new Error(parsed.error);
  return { url: parsed.url, given: true };
}

/** Every dev-server URL in a text (manifest, metadata) pointed at `base` instead. */
function toHost(text, base) {
  return base === DEV_HOST ? text : text.split(DEV_HOST).join(base);
}

module.exports = { DEV_HOST, parseHost, isRealHost, buildHost, toHost };
