/*
 * The build's host (scripts/host.js, used by webpack.config.js and scripts/package.js): which
 * addresses are accepted, which are refused for packaging, and what a build without CALS_HOST
 * says. The build with a host is checked end to end in test/manifest.test.ts.
 */
/* global describe, test, expect, jest, require */

import path from "path";

const ROOT = path.resolve(__dirname, "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const host = require(path.join(ROOT, "scripts", "host.js")) as {
  DEV_HOST: string;
  parseHost(value: unknown): { url?: string; error?: string };
  isRealHost(base: string): boolean;
  buildHost(env?: Record<string, string>, processEnv?: Record<string, string>): { url: string; given: boolean };
  toHost(text: string, base: string): string;
};

describe("CALS_HOST", () => {
  test("an https address becomes a folder URL ending in /", () => {
    expect(host.parseHost("https://cals.contoso.com")).toEqual({ url: "https://cals.contoso.com/" });
    expect(host.parseHost(" https://contoso.sharepoint.com/sites/it/cals ")).toEqual({ url: "https://contoso.sharepoint.com/sites/it/cals/" });
    expect(host.parseHost("https://cals.contoso.com:8443/addin/")).toEqual({ url: "https://cals.contoso.com:8443/addin/" });
  });

  test.each([
    ["http://cals.contoso.com", /must start with https/],
    ["cals.contoso.com", /is not a URL/],
    ["https://cals.contoso.com/?v=1", /no query/],
    ["https://cals.contoso.com/#top", /no query, fragment/],
  ])("%s is refused: %s", (value, message) => {
    expect(host.parseHost(value).error).toMatch(message);
    expect(() => host.buildHost({ CALS_HOST: value })).toThrow(message);
  });

  test("a real host is one a tenant can reach: not localhost, not a reserved example or test name", () => {
    for (const real of ["https://cals.contoso.com/", "https://addins.fabrikam.co.uk/cals/", "https://calsweb.z6.web.core.windows.net/"]) {
      expect({ real, ok: host.isRealHost(real) }).toEqual({ real, ok: true });
    }
    for (const fake of [
      "https://localhost:3000/",
      "https://127.0.0.1/",
      "https://cals.example.com/",
      "https://example.org/",
      "https://cals.test/",
      "https://box.local/",
      "https://[::1]/",
    ]) {
      expect({ fake, ok: host.isRealHost(fake) }).toEqual({ fake, ok: false });
    }
  });

  test("--env CALS_HOST wins over the environment; neither means the dev server", () => {
    expect(host.buildHost({ CALS_HOST: "https://a.contoso.com" }, { CALS_HOST: "https://b.contoso.com" })).toEqual({
      url: "https://a.contoso.com/",
      given: true,
    });
    expect(host.buildHost({}, { CALS_HOST: "https://b.contoso.com" })).toEqual({ url: "https://b.contoso.com/", given: true });
    expect(host.buildHost({}, {})).toEqual({ url: host.DEV_HOST, given: false });
    expect(host.buildHost({}, { CALS_HOST: "  " })).toEqual({ url: host.DEV_HOST, given: false });
  });

  test("toHost points every dev URL at the host and nothing else", () => {
    const text = `<a href="https://localhost:3000/help.html#x"/><b>https://localhost:3000/functions.json</b> https://localhost:30001/`;
    expect(host.toHost(text, "https://cals.contoso.com/x/")).toBe(
      `<a href="https://cals.contoso.com/x/help.html#x"/><b>https://cals.contoso.com/x/functions.json</b> https://localhost:30001/`,
    );
    expect(host.toHost(text, host.DEV_HOST)).toBe(text);
  });
});

describe("webpack.config.js", () => {
  type Pattern = { from: string; transform?: (content: Buffer) => string };
  const makeConfig = require(path.join(ROOT, "webpack.config.js")) as (env: object, options: object) => Promise<{ plugins: object[] }>;

  /** The manifest as the config would copy it into dist/. */
  async function builtManifest(env: object): Promise<string> {
    const config = await makeConfig({ WEBPACK_BUILD: true, ...env }, { mode: "production" });
    const copy = config.plugins.find((p) => p.constructor.name === "CopyPlugin") as { patterns: Pattern[] };
    const manifest = copy.patterns.find((p) => p.from === "manifest.xml")!;
    return manifest.transform!(Buffer.from("<x>https://localhost:3000/taskpane.html</x>"));
  }

  test("without CALS_HOST a production build is for https://localhost:3000 and says so in one line", async () => {
    const saved = process.env.CALS_HOST;
    delete process.env.CALS_HOST;
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await builtManifest({})).toBe("<x>https://localhost:3000/taskpane.html</x>");
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0][0])).toMatch(/^CALS: no CALS_HOST given, so this build is for https:\/\/localhost:3000\/ .*CALS_HOST=https:\/\/[^\n]*$/);
    } finally {
      log.mockRestore();
      if (saved !== undefined) process.env.CALS_HOST = saved;
    }
  });

  test("with CALS_HOST the build is for it, silently; a bad one stops the build with the reason", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await builtManifest({ CALS_HOST: "https://cals.contoso.com/addin" })).toBe("<x>https://cals.contoso.com/addin/taskpane.html</x>");
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
    await expect(builtManifest({ CALS_HOST: "http://cals.contoso.com" })).rejects.toThrow(/must start with https/);
  });
});
