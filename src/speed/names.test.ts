import fc from "fast-check";
import { Names } from "./names";
import { nameModel as model } from "../../test/support/name-model";

describe("Names: identities compared without case, first spelling shown", () => {
  test("same name in other letters gets the same id; the first spelling is kept", () => {
    const names = new Names();
    const ids = names.column(["Ann@Contoso.com", "bob", "ANN@contoso.COM", "", "Bob", "ann@contoso.com"], 6);
    expect(Array.from(ids)).toEqual([0, 1, 0, -1, 1, 0]);
    expect(names.display).toEqual(["Ann@Contoso.com", "bob"]);
  });

  test("non-ASCII letters fold as toLowerCase does (Kelvin sign, Turkish dotted I, German sharp s)", () => {
    const names = new Names();
    // U+212A KELVIN SIGN lower-cases to ASCII "k"; "İ" lower-cases to "i̇" (two code units).
    expect(names.id("kate")).toBe(0);
    expect(names.id("\u212Aate")).toBe(0);
    expect(names.id("İlse")).toBe(1);
    expect(names.id("i̇lse")).toBe(1);
    expect(names.id("STRASSE")).toBe(2);
    expect(names.id("straße")).toBe(3); // toLowerCase does not turn ß into ss: two names
    expect(names.display).toEqual(["kate", "İlse", "STRASSE", "straße"]);
  });

  test("grows past many table sizes and keeps every id", () => {
    const names = new Names();
    const texts = Array.from({ length: 50_000 }, (_, i) => `user${i}@contoso.com`);
    const ids = names.column(texts, texts.length);
    expect(names.size).toBe(50_000);
    expect(ids[49_999]).toBe(49_999);
    // Asked again in upper case, in reverse: the same ids.
    const again = names.column(texts.map((t) => t.toUpperCase()).reverse(), texts.length);
    expect(Array.from(again)).toEqual(Array.from(ids).reverse());
  });

  test("agrees with a Map on random names, including many that share a hash slot", () => {
    // A tiny alphabet makes short names collide in the table often.
    const name = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "A", "b", "B", " ", "é", "É"), maxLength: 4 }),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: fc.constantFrom("a", "B", "é", "Ж", "ж", "\u212A"), minLength: 44, maxLength: 52 }),
      fc.constantFrom("", "\u212Aate", "kate", "KATE", "ß", "SS"),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 400 }), fc.boolean(), (texts, byColumn) => {
        const names = new Names();
        const ids = byColumn ? Array.from(names.column(texts, texts.length)) : texts.map((t) => (t ? names.id(t) : -1));
        const expected = model(texts);
        expect(ids).toEqual(expected.ids);
        expect(names.display).toEqual(expected.display);
      }),
      { numRuns: 300 },
    );
  });

  test("only A-Z fold: the characters beside them stay themselves", () => {
    // "@" and "[" sit just outside A-Z, "`" and "{" just outside a-z; four to a word and not.
    const texts = ["@[@[", "`{`{", "AZAZ", "azaz", "@[", "`{", "A[Z@x", "a{z`X"];
    const names = new Names();
    expect(Array.from(names.column(texts, texts.length))).toEqual([0, 1, 2, 2, 3, 4, 5, 6]);
  });

  test("every ASCII character, at every place in a word, folds as toLowerCase does", () => {
    // Four characters go into one word and are folded together: try each code in each of
    // the four places, in names that fill a word and names that end part way through one.
    const texts: string[] = [];
    for (let c = 1; c < 128; c++) {
      const ch = String.fromCharCode(c);
      for (let at = 0; at < 4; at++) {
        texts.push("ab_d".slice(0, at) + ch + "wxyz".slice(at + 1));
        texts.push("A[@z" + "Qq`{".slice(0, at) + ch);
      }
    }
    const all = [...texts, ...texts.map((t) => t.toUpperCase()), ...texts.map((t) => t.toLowerCase())];
    const names = new Names();
    expect(Array.from(names.column(all, all.length))).toEqual(model(all).ids);
    expect(names.display).toEqual(model(all).display);
  });

  test("two names with the same hash stay two names", () => {
    // Same length and the same 32-bit hash with seed 0 (found by search): only their words differ.
    const names = new Names(0);
    const texts = ["u134zplb@contoso.com", "u0byowf9@contoso.com", "U0BYOWF9@contoso.com", "u134zplb@contoso.com", "x", "u0byowf9@contoso.com"];
    expect(Array.from(names.column(texts, texts.length))).toEqual([0, 1, 1, 0, 2, 1]);
    expect(names.display).toEqual(["u134zplb@contoso.com", "u0byowf9@contoso.com", "x"]);
  });

  test("long names and names in other scripts are compared exactly too", () => {
    const long = "firstname.middlename.lastname@subsidiary.contoso.com"; // over 48 characters
    const names = new Names();
    const texts = [long, "Иван@contoso.ru", long.toUpperCase(), "ИВАН@CONTOSO.RU", long + "x", "ivan@contoso.ru", "Éva", "éVA"];
    expect(Array.from(names.column(texts, texts.length))).toEqual([0, 1, 0, 1, 2, 3, 4, 4]);
    expect(names.display).toEqual([long, "Иван@contoso.ru", long + "x", "ivan@contoso.ru", "Éva"]);
  });

  test("a name repeated on the next row, across a batch boundary too", () => {
    const texts = Array.from({ length: 20_000 }, (_, i) => `pc-${Math.floor(i / 3)}`);
    const ids = new Names().column(texts, texts.length);
    expect(Array.from(ids)).toEqual(texts.map((_, i) => Math.floor(i / 3)));
  });

  test("a column of few names (servers) and one that turns to many midway both match the model", () => {
    // Few: every spelling is remembered as it is; case variants still share one id.
    const servers = Array.from({ length: 9000 }, (_, i) => ["EXCH01", "exch01", "Exch02", "", "EXCH03 ", "ß", "\u212Aate", "kate"][i % 8]);
    const few = new Names();
    expect(Array.from(few.column(servers, servers.length))).toEqual(model(servers).ids);
    expect(few.display).toEqual(model(servers).display);
    // Many: 100 names, then 600 new ones (past the remembered spellings), then the first 100 again in upper case.
    const many = [
      ...Array.from({ length: 3000 }, (_, i) => `srv-${i % 100}`),
      ...Array.from({ length: 600 }, (_, i) => `new-${i}`),
      ...Array.from({ length: 3000 }, (_, i) => `SRV-${(7 * i) % 100}`),
    ];
    const names = new Names();
    expect(Array.from(names.column(many, many.length))).toEqual(model(many).ids);
    expect(names.display).toEqual(model(many).display);
  });

  test("one row at a time: ids in order across batches, and the table is kept for the next run", () => {
    const names = new Names();
    names.begin(10); // fewer than will come: the ids grow
    const texts = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? "" : `Host-${i % 1234}`));
    for (const t of texts) names.push(t);
    const ids = names.end();
    expect(Array.from(ids)).toEqual(model(texts).ids);
    // A later run keeps the names already known.
    names.begin(2);
    names.push("HOST-5");
    names.push("new one");
    expect(Array.from(names.end())).toEqual([names.display.indexOf("Host-5"), names.size - 1]);
  });

  test("the hash seed changes no id; id() inside a run is refused rather than losing the run", () => {
    const texts = ["b", "A", "a", "", "c", "B", "u134zplb@contoso.com", "u0byowf9@contoso.com"];
    const ids = [0, 1, 0x7fffffff, -123456].map((seed) => Array.from(new Names(seed).column(texts, texts.length)));
    for (const other of ids) expect(other).toEqual(model(texts).ids);
    const names = new Names();
    names.begin(4);
    names.push("a");
    expect(() => names.id("b")).toThrow(/inside a begin\(\) \.\. end\(\) run/);
    expect(() => names.begin(1)).toThrow(/end\(\) the last one first/);
    names.push("b");
    names.push("A");
    expect(Array.from(names.end())).toEqual([0, 1, 0]);
    expect(() => names.push("c")).toThrow(/begin\(\) first/);
    expect(names.id("B")).toBe(1);
    expect(names.id("")).toBe(-1);
  });

  test("column() reads only the first count names", () => {
    const names = new Names();
    expect(Array.from(names.column(["a", "b", "c"], 2))).toEqual([0, 1]);
    expect(names.display).toEqual(["a", "b"]);
  });
});
