/*
 * npm run package (scripts/package.js): refuses without a real host, and packages the tests'
 * build (made for TEST_HOST by test/global-setup.ts) into a site folder whose hosting settings
 * give functions.json and functions.js the CORS and content types Excel needs.
 */
/* global describe, test, expect, beforeAll, afterAll, jest, require */

import fs from "fs";
import os from "os";
import path from "path";
import { ROOT, TEST_HOST, builtDist } from "./global-setup";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(path.join(ROOT, "scripts", "package.js")) as { main: (argv: string[]) => Promise<number> };

/** Runs the packager, returning its exit code and what it printed. */
async function run(argv: string[], env: { CALS_HOST?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const saved = process.env.CALS_HOST;
  if (env.CALS_HOST === undefined) delete process.env.CALS_HOST;
  else process.env.CALS_HOST = env.CALS_HOST;
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  const error = jest.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    const code = await main(argv);
    return { code, out: log.mock.calls.map((c) => c.join(" ")).join("\n"), err: error.mock.calls.map((c) => c.join(" ")).join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    if (saved === undefined) delete process.env.CALS_HOST;
    else process.env.CALS_HOST = saved;
  }
}

let tmp = "";
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cals-package-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("refuses without a real host, before building anything", () => {
  test.each([
    ["no host at all", [], undefined, /needs the address the add-in will be served from: CALS_HOST=https:/],
    ["localhost", ["--host", "https://localhost:3000/"], undefined, /not a host your users can reach/],
    ["the old placeholder", [], "https://cals.example.com/", /cals\.example\.com\/ is not a host your users can reach/],
    ["plain http", ["--host=http://cals.contoso.com"], undefined, /must start with https/],
  ])("%s", async (_what, argv, env, message) => {
    const out = path.join(tmp, `refused-${Math.random().toString(36).slice(2)}`);
    const result = await run([...argv, "--out", out], { CALS_HOST: env });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err.split("\n")).toHaveLength(1);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("a build made for another host", async () => {
    const result = await run(["--host", "https://cals.fabrikam.com/", "--from", builtDist(), "--out", path.join(tmp, "other")]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/was not made for https:\/\/cals\.fabrikam\.com\//);
  });
});

describe(`packaged for ${TEST_HOST}`, () => {
  let site = "";
  let printed = "";
  const prefix = new URL(TEST_HOST).pathname; // "/cals/"
  beforeAll(async () => {
    site = path.join(tmp, "site");
    const result = await run(["--from", builtDist(), "--out", site], { CALS_HOST: TEST_HOST });
    expect(result).toMatchObject({ code: 0, err: "" });
    printed = result.out;
  });

  test("the add-in sits under the host's path, without source maps, and every manifest URL names a file in it", () => {
    const folder = path.join(site, ...prefix.split("/").filter(Boolean));
    const manifest = fs.readFileSync(path.join(folder, "manifest.xml"), "utf8");
    expect(manifest).toBe(fs.readFileSync(path.join(builtDist(), "manifest.xml"), "utf8"));
    const urls = [...manifest.matchAll(/DefaultValue="(https:[^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(10);
    for (const url of urls) {
      const { origin, pathname } = new URL(url);
      expect(origin).toBe(new URL(TEST_HOST).origin);
      expect({ url, served: fs.existsSync(path.join(site, decodeURIComponent(pathname))) }).toEqual({ url, served: true });
    }
    const all = fs.readdirSync(site, { recursive: true }) as string[];
    expect(all.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(printed).toMatch(/admin center/);
  });

  test("Azure Static Web Apps: CORS and JSON type on functions.json, CORS and script type on functions.js", () => {
    const config = JSON.parse(fs.readFileSync(path.join(site, "staticwebapp.config.json"), "utf8")) as {
      routes: { route: string; headers: Record<string, string> }[];
      mimeTypes: Record<string, string>;
    };
    const route = (file: string) => config.routes.find((r) => r.route === `${prefix}${file}`)?.headers;
    expect(route("functions.json")).toMatchObject({ "Access-Control-Allow-Origin": "*", "Content-Type": "application/json; charset=utf-8" });
    expect(route("functions.js")).toMatchObject({ "Access-Control-Allow-Origin": "*", "Content-Type": "text/javascript; charset=utf-8" });
    expect(config.mimeTypes[".json"]).toBe("application/json");
    // Every route names a file that is there.
    for (const r of config.routes) expect({ route: r.route, there: fs.existsSync(path.join(site, r.route)) }).toEqual({ route: r.route, there: true });
  });

  test("Netlify and Cloudflare Pages (_headers): the same headers", () => {
    const text = fs.readFileSync(path.join(site, "_headers"), "utf8");
    const block = (file: string) => text.split("\n\n").find((b) => b.startsWith(`${prefix}${file}\n`)) ?? "";
    expect(block("functions.json")).toMatch(/^  Access-Control-Allow-Origin: \*$/m);
    expect(block("functions.json")).toMatch(/^  Content-Type: application\/json; charset=utf-8$/m);
    expect(block("functions.js")).toMatch(/^  Access-Control-Allow-Origin: \*$/m);
  });
});
