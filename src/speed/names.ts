/**
 * Identities (users, devices, servers) compared without case; the first spelling is shown.
 *
 * Why not a Map<string, number>: a million-row inventory asks for an id about two million
 * times, nearly always for a name seen before but in a fresh string object. A V8 Map hashes
 * each such string in a runtime call and then compares it with the stored key through
 * V8's generic string equality, which is slow for strings cut out of a larger one (what a
 * CSV parser hands out); docs/performance.md has the figures.
 *
 * Here each name is read once, lower-cased on the fly, into 32-bit words (4 characters of
 * 8 bits each), and hashed from those words (packName). The table (NameTable) holds, per
 * slot, the hash, the id, the length and where the name's words are kept, so a lookup
 * compares a few integers and never calls string equality. Identity stays exact: equal
 * words mean equal lower-cased names. Names longer than MAX_CHARS, or with a character
 * beyond U+00FF once lower-cased, are told apart by an exact Map on the lower-cased text
 * instead, which gives each a small key (both kinds of name can never be equal).
 *
 * Packing needs the strings; the table needs only numbers. That split lets the table run
 * on a second thread while the row loop packs (nameThread.ts); Names does both here.
 */

/**
 * The table, in a function that uses nothing from outside it: nameThread.ts sends this
 * function's source text to a worker, so the worker runs the very same code.
 */
export function nameTableKit() {
  /** Words of a packed name at most: 48 characters. */
  const MAX_WORDS = 12;
  /**
   * Rows per lookup batch: few enough that the table lines a batch touched are still cached
   * when its rows are looked up, and so are the addresses of the pages they lie on (the
   * processor keeps only a few thousand page translations; docs/performance.md).
   */
  const BATCH = 256;
  /** Slot layout: [hash, id + 1 (0 = empty), offset of the words in `words`, length]. */
  const SLOT = 4;
  // A row's length is its packed length, or one of these (its hash then says more).
  /** A blank name: id -1. */
  const BLANK = -1;
  /** The id is already known: the hash holds it. */
  const KNOWN = -2;
  /** Not packable: the hash holds the name's key among such names (0, 1, ... by first sight). */
  const OTHER = -3;

  function sameWords(a: Int32Array, aStart: number, b: Int32Array, bStart: number, length: number): boolean {
    const n = (length + 3) >> 2;
    for (let k = 0; k < n; k++) if (a[aStart + k] !== b[bStart + k]) return false;
    return true;
  }

  /** Packed names -> ids, given in order of first sight (0, 1, 2, ...). */
  class NameTable {
    /** Ids given so far. */
    size = 0;
    slots = new Int32Array(SLOT * 256);
    mask = 255;
    words = new Int32Array(4096);
    used = 0;
    /** Key of a name that is not packable -> its id (-1: not seen yet). */
    otherIds = new Int32Array(16).fill(-1);
    home = new Int32Array(BATCH);
    /** Kept so the touching loads in lookUp() are not optimised away. */
    touched = 0;

    /**
     * Ids of batch rows start .. end - 1 (at most BATCH of them) into ids[offset + row]. A
     * row's words are batch[row * MAX_WORDS ...], its length and hash lengths[row], hashes[row].
     */
    lookUp(batch: Int32Array, lengths: Int32Array, hashes: Int32Array, start: number, end: number, ids: Int32Array, offset: number): void {
      // Touch each row's home slot, then the words it points at, in tight loops whose loads
      // do not depend on each other: the memory system fetches many at once. find() then hits
      // the cache instead of waiting on two trips to memory per name. (A KNOWN or OTHER row's
      // "hash" is not a hash: touching for it is harmless.)
      const slots = this.slots;
      const mask = this.mask;
      const words = this.words;
      const home = this.home;
      let touched = 0;
      for (let b = start; b < end; b++) {
        const h = hashes[b];
        const s = SLOT * ((h ^ (h >>> 16)) & mask);
        home[b - start] = s;
        touched += slots[s + 2];
      }
      for (let b = start; b < end; b++) {
        // The first word and the last: a name's words can straddle two cache lines.
        const s = home[b - start];
        const o = slots[s + 2];
        const last = (slots[s + 3] + 3) >> 2;
        touched += words[o] + words[last > 1 ? o + last - 1 : o];
      }
      this.touched = touched;
      for (let b = start; b < end; b++) {
        const i = offset + b;
        const length = lengths[b];
        if (length < 0) {
          ids[i] = length === KNOWN ? hashes[b] : length === OTHER ? this.otherId(hashes[b]) : -1;
          continue;
        }
        // Exports are often sorted by user or device: a repeat of the row above skips the table.
        if (b > start && hashes[b] === hashes[b - 1] && lengths[b - 1] === length && sameWords(batch, b * MAX_WORDS, batch, (b - 1) * MAX_WORDS, length)) {
          ids[i] = ids[i - 1];
          continue;
        }
        ids[i] = this.find(batch, b * MAX_WORDS, hashes[b], length);
      }
    }

    find(batch: Int32Array, base: number, h: number, length: number): number {
      const slots = this.slots;
      const mask = this.mask;
      let i = (h ^ (h >>> 16)) & mask;
      for (;;) {
        const s = SLOT * i;
        const id = slots[s + 1] - 1;
        if (id < 0) break;
        if (slots[s] === h && slots[s + 3] === length && sameWords(this.words, slots[s + 2], batch, base, length)) return id;
        i = (i + 1) & mask;
      }
      // A new name: keep its words.
      const id = this.size++;
      const n = (length + 3) >> 2;
      if (this.used + n > this.words.length) {
        const grown = new Int32Array(2 * (this.used + n));
        grown.set(this.words);
        this.words = grown;
      }
      for (let k = 0; k < n; k++) this.words[this.used + k] = batch[base + k];
      const s = SLOT * i;
      slots[s] = h;
      slots[s + 1] = id + 1;
      slots[s + 2] = this.used;
      slots[s + 3] = length;
      this.used += n;
      // At most half full, so probes stay short.
      if (2 * (id + 1) > mask) this.grow();
      return id;
    }

    otherId(key: number): number {
      if (key >= this.otherIds.length) {
        const grown = new Int32Array(2 * (key + 1)).fill(-1);
        grown.set(this.otherIds);
        this.otherIds = grown;
      }
      if (this.otherIds[key] < 0) this.otherIds[key] = this.size++;
      return this.otherIds[key];
    }

    grow(): void {
      const old = this.slots;
      const capacity = 2 * (this.mask + 1);
      const mask = capacity - 1;
      const slots = new Int32Array(SLOT * capacity);
      for (let j = 0; j < old.length; j += SLOT) {
        if (old[j + 1] === 0) continue;
        const h = old[j];
        let i = (h ^ (h >>> 16)) & mask;
        while (slots[SLOT * i + 1] !== 0) i = (i + 1) & mask;
        for (let k = 0; k < SLOT; k++) slots[SLOT * i + k] = old[j + k];
      }
      this.slots = slots;
      this.mask = mask;
    }
  }

  return { NameTable, MAX_WORDS, BATCH, BLANK, KNOWN, OTHER, sameWords };
}

const kit = nameTableKit();
export const { NameTable, MAX_WORDS, BATCH, BLANK, KNOWN, OTHER } = kit;
export type NameTable = InstanceType<typeof kit.NameTable>;
const MAX_CHARS = 4 * MAX_WORDS;
const EMPTY = new Int32Array(0);
/**
 * Spellings remembered as they are (exact text -> id) while a column has at most this many:
 * a column of few names (servers) then skips packing, as V8 has the hash of a string it
 * has seen before; a column of many stops remembering within its first rows.
 */
const SPELLINGS = 256;

/** A column of names read one row at a time: Names here, or ThreadNames (nameThread.ts). */
export interface NameColumn {
  /** Name id -> the spelling first seen. */
  readonly display: string[];
  begin(capacity: number): void;
  push(text: string): void;
  /** The ids of every name pushed since begin(), in order ("" -> -1). */
  end(): Int32Array;
}

/**
 * Strings -> packed rows for a NameTable: words, length and hash, or BLANK, or OTHER with the
 * name's key (names that cannot be packed, told apart by a Map on their lower-cased text).
 */
export class NamePacker {
  private readonly others = new Map<string, number>();

  /**
   * Seed of the hash, random per table unless given: the hash can be run backwards, so with
   * a fixed seed an inventory could be written whose names all share one hash and make
   * every lookup walk one long chain. Ids do not depend on it (they follow first sight).
   */
  constructor(readonly seed = (Math.random() * 0x100000000) | 0) {}

  /** Row b of (words, lengths, hashes); its words start at words[b * MAX_WORDS]. */
  pack(text: string, words: Int32Array, lengths: Int32Array, hashes: Int32Array, b: number): void {
    packName(text, this.seed, words, lengths, hashes, b);
    if (lengths[b] === BLANK && text !== "") {
      const key = text.toLowerCase();
      let other = this.others.get(key);
      if (other === undefined) {
        other = this.others.size;
        this.others.set(key, other);
      }
      lengths[b] = OTHER;
      hashes[b] = other;
    }
  }
}

/**
 * Lower-cased words and hash of one name into row b; length BLANK when it is blank or does
 * not fit. The common case, plain ASCII, is read four characters at a time and folded four
 * at a time (foldAscii), faster than a branch per character; a name
 * with any other character is packed again by packLowered.
 */
function packName(text: string, seed: number, out: Int32Array, lengths: Int32Array, hashes: Int32Array, b: number): void {
  const length = text.length;
  lengths[b] = BLANK;
  if (length === 0 || length > MAX_CHARS) return;
  const base = b * MAX_WORDS;
  let h = seed ^ length;
  let any = 0; // every character OR-ed: 128 or more means the name is not plain ASCII
  let k = 0;
  for (; k + 4 <= length; k += 4) {
    const c0 = text.charCodeAt(k);
    const c1 = text.charCodeAt(k + 1);
    const c2 = text.charCodeAt(k + 2);
    const c3 = text.charCodeAt(k + 3);
    any |= c0 | c1 | c2 | c3;
    const word = foldAscii(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
    out[base + (k >> 2)] = word;
    h = mix(h, word);
  }
  if (k < length) {
    let word = 0;
    for (let j = 0; k + j < length; j++) {
      const c = text.charCodeAt(k + j);
      any |= c;
      word |= c << (j << 3);
    }
    word = foldAscii(word);
    out[base + (k >> 2)] = word;
    h = mix(h, word);
  }
  // The words written above are wrong for such a name; packLowered writes them again.
  if (any >= 128) return packLowered(text.toLowerCase(), seed, out, lengths, hashes, b);
  lengths[b] = length;
  hashes[b] = h;
}

/**
 * packName() for a name with a character beyond ASCII: lower-cased by toLowerCase (as the Map
 * on the other names is) and packed as it then is, if it still fits and every character then
 * fits in 8 bits. (packName() checked the length before lower-casing, which is safe: no
 * toLowerCase mapping is shorter than the character it maps, checked for every UTF-16 code
 * unit on Node 20; the lower-cased text can only be longer.)
 */
function packLowered(lower: string, seed: number, out: Int32Array, lengths: Int32Array, hashes: Int32Array, b: number): void {
  const length = lower.length;
  if (length > MAX_CHARS) return;
  const base = b * MAX_WORDS;
  let h = seed ^ length;
  let word = 0;
  for (let k = 0; k < length; k++) {
    const c = lower.charCodeAt(k);
    if (c > 255) return;
    word |= c << ((k & 3) << 3);
    if ((k & 3) === 3) {
      out[base + (k >> 2)] = word;
      h = mix(h, word);
      word = 0;
    }
  }
  if ((length & 3) !== 0) {
    out[base + (length >> 2)] = word;
    h = mix(h, word);
  }
  lengths[b] = length;
  hashes[b] = h;
}

/** Names packed and looked up on this thread. */
export class Names implements NameColumn {
  readonly display: string[] = [];
  private readonly table = new NameTable();
  private readonly packer: NamePacker;
  /** Exact spelling -> id, for columns of few names; null once a column shows many. */
  private spellings: Map<string, number> | null = new Map();
  // Per-batch scratch, reused: the packed words, length and hash of each row, and its text.
  private readonly batchWords = new Int32Array(BATCH * MAX_WORDS);
  private readonly batchLength = new Int32Array(BATCH);
  private readonly batchHash = new Int32Array(BATCH);
  private readonly batchText: string[] = new Array<string>(BATCH).fill("");
  private readonly one = new Int32Array(1);
  private pending = 0;
  /** Ids so far (begin() .. end()). */
  private out = EMPTY;
  private count = 0;
  private running = false;

  get size(): number {
    return this.display.length;
  }

  /** seed: see NamePacker. */
  constructor(seed?: number) {
    this.packer = new NamePacker(seed);
  }

  /** The id of one name ("" -> -1), outside a begin() .. end() run. */
  id(text: string): number {
    if (this.running) throw new Error("Names.id() inside a begin() .. end() run would lose the run's names");
    this.packer.pack(text, this.batchWords, this.batchLength, this.batchHash, 0);
    this.table.lookUp(this.batchWords, this.batchLength, this.batchHash, 0, 1, this.one, 0);
    const id = this.one[0];
    if (id === this.display.length) this.display.push(text);
    return id;
  }

  /** Ids for a column of names ("" -> -1). */
  column(texts: readonly string[], count: number): Int32Array {
    this.begin(count);
    for (let i = 0; i < count; i++) this.push(texts[i]);
    return this.end();
  }

  /**
   * Names one row at a time (push), ids when all are given (end); one such run at a time.
   * Each name is packed while its string is still in the cache from the caller's read of
   * the row, and no million-entry array of strings is kept for later: such an array pushed
   * V8 into one more full collection of the whole grid. A full batch is looked up at once, so lookups
   * overlap their trips to memory instead of waiting on each.
   */
  begin(capacity: number): void {
    if (this.running) throw new Error("Names.begin() inside a run: end() the last one first");
    this.running = true;
    this.out = new Int32Array(capacity);
    this.count = 0;
    this.pending = 0;
  }

  push(text: string): void {
    if (!this.running) throw new Error("Names.push() outside a run: begin() first");
    const b = this.pending;
    const known = this.spellings === null ? undefined : this.spellings.get(text);
    if (known !== undefined) {
      this.batchLength[b] = KNOWN;
      this.batchHash[b] = known;
    } else this.packer.pack(text, this.batchWords, this.batchLength, this.batchHash, b);
    this.batchText[b] = text;
    this.pending = b + 1;
    if (this.pending === BATCH) this.flush();
  }

  end(): Int32Array {
    this.flush();
    const ids = this.out.subarray(0, this.count);
    this.out = EMPTY;
    this.count = 0;
    this.running = false;
    this.batchText.fill("");
    // The remembered spellings are only for this run's speed: let their strings go.
    this.spellings = null;
    return ids;
  }

  private flush(): void {
    const n = this.pending;
    if (n === 0) return;
    const ids = (this.out = roomFor(this.out, this.count, n));
    const offset = this.count;
    this.table.lookUp(this.batchWords, this.batchLength, this.batchHash, 0, n, ids, offset);
    const texts = this.batchText;
    keepFirstSpellings(this.display, ids, offset, texts, n);
    const spellings = this.spellings;
    if (spellings !== null) {
      for (let b = 0; b < n && this.spellings !== null; b++) {
        if (this.batchLength[b] === KNOWN) continue;
        if (spellings.size < SPELLINGS) spellings.set(texts[b], ids[offset + b]);
        else this.spellings = null;
      }
    }
    this.count += n;
    this.pending = 0;
  }
}

/** `out` with room for `more` ids after its first `used`: itself, or a copy twice as big. */
export function roomFor(out: Int32Array<ArrayBuffer>, used: number, more: number): Int32Array<ArrayBuffer> {
  if (used + more <= out.length) return out;
  const grown = new Int32Array(2 * (used + more));
  grown.set(out.subarray(0, used));
  return grown;
}

/**
 * Rows ids[offset ..] (n of them, spelt texts[0 ..]): ids are given in row order, so a row
 * whose id is the next display index is its name's first sight, and that spelling is kept.
 */
export function keepFirstSpellings(display: string[], ids: Int32Array, offset: number, texts: readonly string[], n: number): void {
  for (let b = 0; b < n; b++) if (ids[offset + b] === display.length) display.push(texts[b]);
}

/**
 * ASCII A-Z to a-z in each byte of a word whose bytes are all below 128: a byte's top bit
 * is set, 0x41 ("A") and 0x5B (just past "Z") are taken off it, and where the first leaves
 * the top bit and the second does not, the byte is a capital and gets 0x20. No borrow
 * crosses a byte, as each starts at 0x80 or more. (Checked against the per-character fold
 * for every byte pair.)
 */
function foldAscii(w: number): number {
  const high = w | 0x80808080;
  const upper = (high - 0x41414141) & ~(high - 0x5b5b5b5b) & 0x80808080;
  return w | (upper >>> 2);
}

/** One multiply-xorshift round per word: spreads names that differ in one digit. */
function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x9e3779b1);
  return h ^ (h >>> 15);
}
