import { functionCases } from "../../test/support/function-cases";

// Excel supplies CustomFunctions at run time; the unit test supplies the same shape.
class StandInError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}
(globalThis as any).CustomFunctions = {
  Error: StandInError,
  ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", invalidNumber: "#NUM!" },
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fns = require("./functions");
const byId: Record<string, (...args: unknown[]) => unknown> = {
  REQUIRED: fns.required,
  COVERS: fns.covers,
  VERSIONS: fns.versions,
  MODES: fns.modes,
  MIX: fns.mix,
};

describe("CALS custom functions (source)", () => {
  test.each(functionCases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const fn = byId[c.fn];
    expect(typeof fn).toBe("function");
    if ("error" in c) {
      let thrown: unknown;
      try {
        fn(...c.args);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(StandInError);
      expect((thrown as StandInError).code).toBe(c.error);
      if (c.message) expect((thrown as StandInError).message).toMatch(c.message);
    } else {
      expect(fn(...c.args)).toEqual(c.expect);
    }
  });

  test("an unexpected failure is still a #VALUE! error, never a number", () => {
    // A version object Excel would never pass makes the core throw a plain TypeError path.
    expect(() =>
      fns.required(
        1,
        1,
        {
          toString: () => {
            throw new Error("boom");
          },
        },
        "per-user",
      ),
    ).toThrow(StandInError);
  });
});
