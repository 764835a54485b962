/*
 * The shipped bundle, as Excel loads it: dist/functions.js runs in a fresh VM context with a
 * stand-in CustomFunctions runtime that records the associate() calls. Every function in
 * functions.json must be associated (and nothing else), and the associated functions must
 * give the answers in the shared case table test/support/function-cases.ts.
 */
/* global describe, test, expect, beforeAll, console, performance, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, TextEncoder, TextDecoder, URL, URLSearchParams, atob, btoa, structuredClone */

import fs from "fs";
import path from "path";
import vm from "vm";
import { builtDist } from "./global-setup";
import { FunctionCase, functionCases } from "./support/function-cases";

/** Stand-in for CustomFunctions.Error: what the bundle throws for an error cell. */
class StandInError {
  constructor(
    readonly code: string,
    readonly message?: string
  ) {}
}

const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

type Fn = (...args: unknown[]) => unknown;

function loadBundle(dist: string): Map<string, Fn> {
  const associated = new Map<string, Fn>();
  const associate = (idOrMap: string | Record<string, Fn>, fn?: Fn) => {
    const pairs = typeof idOrMap === "string" ? [[idOrMap, fn] as const] : Object.entries(idOrMap);
    for (const [id, f] of pairs) {
      if (associated.has(id)) throw new Error(`${id} is associated twice`);
      if (typeof f !== "function")
        throw new Error(`${id} is associated with ${typeof f}, not a function`);
      associated.set(id, f as Fn);
    }
  };
  // The web-standard globals Excel's JavaScript runtime has (the vm context has only the
  // language built-ins); none of them changes an answer.
  const sandbox: Record<string, unknown> = {
    CustomFunctions: { associate, Error: StandInError, ErrorCode },
    console,
    performance,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    atob,
    btoa,
  };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  const file = path.join(dist, "functions.js");
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  return associated;
}

/** Call a function as Excel would: the answer, or the thrown (or rejected) error object. */
async function call(
  fn: Fn,
  args: unknown[]
): Promise<{ value?: unknown; thrown?: unknown; threw: boolean }> {
  try {
    return { value: await fn(...args), threw: false };
  } catch (thrown) {
    return { thrown, threw: true };
  }
}

/** Values from the VM's realm (its own Array), as plain values of this one. */
const here = (value: unknown): unknown =>
  value === undefined ? undefined : structuredClone(value);

/** FN(arg, ...) for messages, with long arguments cut short. */
const describeCase = (c: FunctionCase) =>
  `${c.fn}(${c.args
    .map((a) => {
      const json = JSON.stringify(a) ?? String(a);
      return json.length > 60 ? `${json.slice(0, 57)}...` : json;
    })
    .join(", ")})`;

describe("dist/functions.js", () => {
  let functions = new Map<string, Fn>();
  let metadataIds: string[] = [];

  beforeAll(() => {
    const dist = builtDist();
    functions = loadBundle(dist);
    const metadata = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as {
      functions: { id: string }[];
    };
    metadataIds = metadata.functions.map((f) => f.id);
  });

  test("associates exactly the functions listed in functions.json", () => {
    expect([...functions.keys()].sort()).toEqual([...metadataIds].sort());
    expect(new Set(metadataIds).size).toBe(metadataIds.length);
  });

  test("includes REQUIRED, COVERS, VERSIONS and MODES", () => {
    expect(metadataIds).toEqual(
      expect.arrayContaining(["REQUIRED", "COVERS", "VERSIONS", "MODES"])
    );
  });

  test("every case in the shared table names an associated function", () => {
    const missing = functionCases.filter((c) => !functions.has(c.fn)).map(describeCase);
    expect(missing).toEqual([]);
  });

  describe("answers the shared cases", () => {
    test.each(
      functionCases.map((c) => [(c as { name?: string }).name ?? describeCase(c), c] as const)
    )("%s", async (_name, c) => {
      const fn = functions.get(c.fn);
      if (!fn) throw new Error(`${c.fn} is not associated`);
      const result = await call(fn, c.args);
      if ("error" in c) {
        expect(result.threw ? "threw" : `returned ${JSON.stringify(result.value)}`).toBe("threw");
        const thrown = result.thrown as { code?: unknown; message?: unknown };
        expect(thrown).toBeInstanceOf(StandInError);
        expect(thrown.code).toBe(c.error);
        if (c.message) expect(String(thrown.message)).toMatch(c.message);
      } else {
        if (result.threw) {
          const thrown = result.thrown as { code?: unknown; message?: unknown };
          throw new Error(
            `${describeCase(c)} threw ${String(thrown?.code ?? "")} ${String(thrown?.message ?? thrown)}`
          );
        }
        expect(here(result.value)).toEqual(c.expect);
      }
    });
  });
});
