/*
 * CALS build: a shared runtime, so one page (taskpane.html) hosts both the task pane and
 * the custom functions. Modelled on OfficeDev/Excel-Custom-Functions-Shared.
 *
 *   dist/taskpane.html   the page; loads office.js from the CDN, then taskpane.js and functions.js
 *   dist/functions.js    the custom functions (also named on its own by the manifest)
 *   dist/auditWorker.js  the audit's Web Worker, started by the pane (src/taskpane/engine.ts)
 *   dist/functions.json  metadata generated from the JSDoc in src/functions/functions.ts
 *   dist/manifest.xml    copied, every URL pointed at the host the build is for (scripts/host.js)
 *   dist/assets/*        icons
 */

const fs = require("fs");
const os = require("os");
const path = require("path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { renderHelp } = require("./scripts/help-page");
const { buildHost, toHost, DEV_HOST } = require("./scripts/host");

/* global require, module, process, __dirname, console */

/** The first informative line of an error, short enough for one sentence. */
function shortReason(error) {
  const text = String((error && error.message) || error || "unknown error");
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0] || text;
  return reason.length > 160 ? `${reason.slice(0, 157)}...` : reason;
}

const CERT_DIR = path.join(os.homedir(), ".office-addin-dev-certs");
const CERT_FILES = {
  ca: path.join(CERT_DIR, "ca.crt"),
  cert: path.join(CERT_DIR, "localhost.crt"),
  key: path.join(CERT_DIR, "localhost.key"),
};

/** The certificate office-addin-dev-certs generated earlier, if it is there, matches its key and is not about to expire. */
function generatedCertificate() {
  try {
    const crypto = require("crypto");
    const cert = fs.readFileSync(CERT_FILES.cert);
    const key = fs.readFileSync(CERT_FILES.key);
    const x509 = new crypto.X509Certificate(cert);
    if (!x509.checkPrivateKey(crypto.createPrivateKey(key))) return undefined;
    if (new Date(x509.validTo).getTime() < Date.now() + 24 * 3600 * 1000) return undefined;
    const options = { key, cert };
    if (fs.existsSync(CERT_FILES.ca)) options.ca = fs.readFileSync(CERT_FILES.ca);
    return options;
  } catch {
    return undefined;
  }
}

function untrustedWarning(reason, served) {
  console.warn(
    `\nCALS dev server: ${reason}, so https://localhost:3000 is served with ${served} (browsers will warn about it); ` +
      `run "npx office-addin-dev-certs install" with admin rights to trust it, ` +
      `or open https://localhost:3000/taskpane.html in your browser once and accept the warning.\n`
  );
}

/**
 * HTTPS options for the dev server. office-addin-dev-certs generates a localhost certificate
 * and installs its CA as trusted; that install fails where there is no admin right or no
 * system trust store (e.g. Linux containers, CI). Then we still serve over https: with the
 * generated (untrusted) certificate if it is there, else with webpack-dev-server's own
 * self-signed one, and say in one sentence what happened and what to do. On Linux an
 * untrusted certificate generated earlier is reused rather than regenerated on every start,
 * so a browser exception the user accepted keeps working.
 */
async function getHttpsOptions() {
  let devCerts;
  try {
    devCerts = require("office-addin-dev-certs");
  } catch (error) {
    untrustedWarning(
      `office-addin-dev-certs could not be loaded (${shortReason(error)})`,
      "a self-signed certificate"
    );
    return undefined;
  }
  if (process.platform === "linux") {
    let trusted = false;
    try {
      trusted = devCerts.verifyCertificates();
    } catch {
      trusted = false;
    }
    const earlier = trusted ? undefined : generatedCertificate();
    if (earlier) {
      untrustedWarning(
        `the development certificate in ${CERT_DIR} is not trusted on this machine`,
        "that certificate"
      );
      return earlier;
    }
  }
  try {
    const httpsOptions = await devCerts.getHttpsServerOptions();
    return { ca: httpsOptions.ca, key: httpsOptions.key, cert: httpsOptions.cert };
  } catch (error) {
    const generated = generatedCertificate();
    untrustedWarning(
      `the development certificate could not be installed as trusted (${shortReason(error)})`,
      generated ? `the untrusted certificate in ${CERT_DIR}` : "a self-signed certificate"
    );
    return generated; // undefined: webpack-dev-server generates a self-signed certificate
  }
}

/** functions.json carries the @helpurl links (written for the dev server): point them at the build's host. */
class HostUrlsPlugin {
  constructor(base) {
    this.base = base;
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap("HostUrlsPlugin", (compilation) => {
      compilation.hooks.processAssets.tap(
        {
          name: "HostUrlsPlugin",
          stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE,
        },
        () => {
          const asset = compilation.getAsset("functions.json");
          if (!asset) return;
          const text = asset.source.source().toString();
          compilation.updateAsset("functions.json", new compiler.webpack.sources.RawSource(toHost(text, this.base)));
        }
      );
    });
  }
}

module.exports = async (env = {}, options = {}) => {
  const serving = Boolean(env.WEBPACK_SERVE);
  // The dev server always serves localhost; a build is for CALS_HOST when given.
  const host = serving ? { url: DEV_HOST, given: false } : buildHost(env, process.env);
  if (!serving && !host.given && options.mode !== "development") {
    console.log(`CALS: no CALS_HOST given, so this build is for ${DEV_HOST} (for your server: CALS_HOST=https://your.host/ npm run build).`);
  }
  const config = {
    devtool: "source-map",
    entry: {
      taskpane: "./src/taskpane/taskpane.ts",
      functions: "./src/functions/functions.ts",
      // The pane's audit worker: its own file, started by src/taskpane/engine.ts, not a page script.
      auditWorker: "./src/taskpane/auditWorker.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".js"],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              // Only the files in the bundle, not tests or scripts from tsconfig "include".
              onlyCompileBundledFiles: true,
              // No type checking here: it triples build time (office-js types are large).
              // `npm run typecheck` (tsc --noEmit) and the jest run check types instead.
              transpileOnly: true,
            },
          },
        },
        {
          test: /\.(png|jpg|jpeg|gif|ico)$/,
          type: "asset/resource",
          generator: {
            filename: "assets/[name][ext][query]",
          },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      new CustomFunctionsMetadataPlugin({
        output: "functions.json",
        input: "./src/functions/functions.ts",
      }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane", "functions"],
      }),
      new CopyWebpackPlugin({
        patterns: [
          {
            from: "assets/*",
            to: "assets/[name][ext][query]",
          },
          {
            from: "src/taskpane/taskpane.css",
            to: "taskpane.css",
          },
          // The pages the functions' @helpurl links open: the README and the rules, as HTML.
          {
            from: "README.md",
            to: "help.html",
            transform: (content) => renderHelp(content.toString(), "CALS help"),
          },
          {
            from: "docs/licensing-rules.md",
            to: "licensing-rules.html",
            transform: (content) => renderHelp(content.toString(), "CALS: Exchange CAL rules"),
          },
          {
            from: "docs/images/*.png",
            to: "docs/images/[name][ext]",
          },
          {
            // One file, not the template's "manifest*.xml" glob: a glob makes webpack watch the
            // whole project folder, and writing dist/ there would trigger rebuilds.
            from: "manifest.xml",
            to: "[name]" + "[ext]",
            transform(content) {
              return toHost(content.toString(), host.url);
            },
          },
        ],
      }),
      new HostUrlsPlugin(host.url),
    ],
    devServer: {
      headers: {
        "Access-Control-Allow-Origin": "*",
      },
      server: {
        type: "https",
        options: serving ? await getHttpsOptions() : undefined,
      },
      port: process.env.npm_package_config_dev_server_port || 3000,
    },
  };

  return config;
};
