/** The obvious model of Names: a Map from the lower-cased name to its id, first spelling shown. */
export function nameModel(texts: readonly string[]): { ids: number[]; display: string[] } {
  const byKey = new Map<string, number>();
  const display: string[] = [];
  const ids = texts.map((t) => {
    if (!t) return -1;
    const key = t.toLowerCase();
    let id = byKey.get(key);
    if (id === undefined) {
      id = display.length;
      display.push(t);
      byKey.set(key, id);
    }
    return id;
  });
  return { ids, display };
}
