/**
 * A small grid builder for the summary sheet: rows of values, number formats per cell
 * (coalesced into rects at the end), styles and merges as rects, and column widths from the
 * cells that are measured. Free text (titles, notes, long values) is not measured: it is
 * word-wrapped to the width of the columns it may run across and laid out one line per row,
 * so it overflows into empty cells instead of widening a table column.
 */
import type { CellStyle, LayoutValue, Rect, SheetLayout } from "./types";
import { numberDisplayLength, textDisplayLength, wrapText } from "./format";

/** A number and its format: every number the summary writes carries one. */
interface Num {
  n: number;
  f: string;
}

export type BuildCell = LayoutValue | Num;

export function num(n: number, f: string): Num {
  return { n, f };
}

function isNum(c: BuildCell): c is Num {
  return typeof c === "object" && c !== null;
}

export interface WidthLimits {
  min: number;
  max: number;
  padding: number;
}

export class GridBuilder {
  readonly values: LayoutValue[][] = [];
  private readonly formats: (string | undefined)[][] = [];
  private readonly unmeasured: (Set<number> | undefined)[] = [];
  readonly styles: { rect: Rect; style: CellStyle }[] = [];
  readonly merges: Rect[] = [];
  readonly rowHeights: { row: number; points: number }[] = [];

  /** `widths`: the column widths of an earlier pass, used to wrap free text; none = no wrap. */
  constructor(
    readonly cols: number,
    private readonly widths?: number[],
  ) {}

  get rowCount(): number {
    return this.values.length;
  }

  /** Adds a row; `free` lists columns whose text is not measured for widths. Returns its index. */
  row(cells: BuildCell[], free?: number[]): number {
    const vals: LayoutValue[] = new Array(this.cols).fill(null);
    const fmts: (string | undefined)[] = new Array(this.cols).fill(undefined);
    for (let c = 0; c < cells.length && c < this.cols; c++) {
      const cell = cells[c];
      if (isNum(cell)) {
        if (Number.isFinite(cell.n)) {
          vals[c] = cell.n;
          fmts[c] = cell.f;
        }
      } else if (typeof cell === "number") {
        vals[c] = Number.isFinite(cell) ? cell : null;
      } else {
        vals[c] = cell === undefined ? null : cell;
      }
    }
    this.values.push(vals);
    this.formats.push(fmts);
    this.unmeasured.push(free && free.length ? new Set(free) : undefined);
    return this.values.length - 1;
  }

  blank(): number {
    return this.row([]);
  }

  /** Characters free text starting at `col` may use: the columns from there to the right. */
  private room(col: number): number {
    if (!this.widths) return Infinity;
    let sum = 0;
    for (let c = col; c < this.cols; c++) sum += this.widths[c] ?? 0;
    return Math.max(20, Math.floor(sum) - 2);
  }

  /**
   * Free text at `col`, wrapped to the room to its right, one line per row; `lead` cells
   * (left of `col`) go on the first row only. Continuation lines are indented by `indent`.
   * Returns the first and last row.
   */
  text(col: number, text: string, opts: { lead?: BuildCell[]; style?: CellStyle; indent?: string } = {}): [number, number] {
    const indent = opts.indent ?? "";
    const lines = wrapText(text, this.room(col) - indent.length);
    let first = -1;
    lines.forEach((line, i) => {
      const cells: BuildCell[] = i === 0 && opts.lead ? opts.lead.slice(0, col) : [];
      while (cells.length < col) cells.push(null);
      cells[col] = i === 0 ? line : indent + line;
      const r = this.row(cells, [col]);
      if (first < 0) first = r;
    });
    const last = this.values.length - 1;
    // Across the room the text may run into, so a fill backs all of it.
    if (opts.style) this.style({ row: first, col, rows: last - first + 1, cols: this.cols - col }, opts.style);
    return [first, last];
  }

  style(rect: Rect, style: CellStyle): void {
    if (rect.rows > 0 && rect.cols > 0) this.styles.push({ rect, style });
  }

  merge(rect: Rect): void {
    if (rect.rows * rect.cols > 1) this.merges.push(rect);
  }

  height(row: number, points: number): void {
    this.rowHeights.push({ row, points });
  }

  /** Number formats as rects: runs along a row, then identical runs on consecutive rows joined. */
  private formatRects(): { rect: Rect; format: string }[] {
    const out: { rect: Rect; format: string }[] = [];
    const open = new Map<string, { rect: Rect; format: string }>(); // key col:cols:format -> rect ending at previous row
    for (let r = 0; r < this.formats.length; r++) {
      const fmts = this.formats[r];
      const next = new Map<string, { rect: Rect; format: string }>();
      let c = 0;
      while (c < this.cols) {
        const f = fmts[c];
        if (f === undefined) {
          c++;
          continue;
        }
        let e = c;
        while (e + 1 < this.cols && fmts[e + 1] === f) e++;
        const key = `${c}:${e - c + 1}:${f}`;
        const prev = open.get(key);
        if (prev && prev.rect.row + prev.rect.rows === r) {
          prev.rect.rows++;
          next.set(key, prev);
        } else {
          const run = { rect: { row: r, col: c, rows: 1, cols: e - c + 1 }, format: f };
          out.push(run);
          next.set(key, run);
        }
        c = e + 1;
      }
      open.clear();
      next.forEach((v, k) => open.set(k, v));
    }
    return out;
  }

  /** Widths from the measured cells, in characters, clamped. */
  measureWidths(limits: WidthLimits): number[] {
    const longest = new Array(this.cols).fill(0);
    for (let r = 0; r < this.values.length; r++) {
      const vals = this.values[r];
      const skip = this.unmeasured[r];
      for (let c = 0; c < this.cols; c++) {
        if (skip && skip.has(c)) continue;
        const v = vals[c];
        let len = 0;
        if (typeof v === "string") len = textDisplayLength(v);
        else if (typeof v === "number") len = numberDisplayLength(v, this.formats[r][c]);
        else if (typeof v === "boolean") len = 5;
        if (len > longest[c]) longest[c] = len;
      }
    }
    return longest.map((len) => Math.min(limits.max, Math.max(limits.min, len + limits.padding)));
  }

  build(
    name: string,
    role: SheetLayout["role"],
    limits: WidthLimits,
    extra: Partial<Pick<SheetLayout, "freezeRows" | "dataBars" | "print">> = {},
  ): SheetLayout {
    const layout: SheetLayout = {
      name,
      role,
      values: this.values,
      numberFormats: this.formatRects(),
      styles: this.styles,
      merges: this.merges,
      columnWidths: this.measureWidths(limits),
      freezeRows: extra.freezeRows ?? 0,
      print: extra.print ?? { landscape: true, fitToWidth: 1 },
      dataBars: extra.dataBars ?? [],
    };
    if (this.rowHeights.length) layout.rowHeights = this.rowHeights;
    return layout;
  }
}
