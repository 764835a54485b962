/**
 * Identities (users, devices, servers) compared without case; the first spelling is shown.
 *
 * Why not a Map<string, number>: a million-row inventory asks for an id about two million
 * times, nearly always for a name seen before but in a fresh string object. A V8 Map hashes
 * each such string in a runtime call and then compares it with the stored key through
 * V8's generic string equality, which is slow for strings cut out of a larger one (what a
 * CSV parser hands out): measured on the bench's 150,000 users, 1.0 s for strings parsed
 * from JSON (what Office.js gives) and 1.7 s for strings from the CSV parser.
 *
 * Here each name is read once, lower-cased on the fly, into 32-bit words (4 characters of
 * 8 bits each), and hashed from those words. The table holds, per slot, the hash, the id,
 * the length and where the name's words are kept, so a lookup compares a few integers and
 * never calls string equality. Identity stays exact: equal words mean equal lower-cased
 * names. Names longer than MAX_CHARS, or with a character beyond U+00FF once lower-cased,
 * take an exact Map on the lower-cased text instead (both kinds of key can never be equal).
 */
const MAX_WORDS = 12;
const MAX_CHARS = 4 * MAX_WORDS;
/**
 * Rows per batch: few enough that the table lines a batch touched are still cached when its
 * rows are looked up, and so are the addresses of the pages they lie on (the processor
 * keeps only a few thousand page translations). Measured on the bench's users: 256 rows
 * made the lookups about a tenth faster than 2,048, and 32 to 512 were alike.
 */
const BATCH = 256;
/** Slot layout: [hash, id + 1 (0 = empty), offset of the words in `words`, length]. */
const SLOT = 4;
const EMPTY = new Int32Array(0);
/** batchLength of a row whose id is already known (batchHash holds the id). */
const KNOWN = -2;
/**
 * Spellings remembered as they are (exact text -> id) while a column has at most this many:
 * a column of few names (servers) then skips packing, as V8 has the hash of a string it
 * has seen before; a column of many stops remembering within its first rows.
 */
const SPELLINGS = 256;

export class Names {
  /** Name id -> the spelling first seen. */
  readonly display: string[] = [];
  private slots = new Int32Array(SLOT * 256);
  private mask = 255;
  private words = new Int32Array(4096);
  private used = 0;
  /** Names the words cannot hold: lower-cased text -> id. */
  private readonly other = new Map<string, number>();
  /** Exact spelling -> id, for columns of few names; null once a column shows many. */
  private spellings: Map<string, number> | null = new Map();
  // Per-batch scratch, reused: the packed words, length (-1: not packable) and hash of each row.
  private readonly batchWords = new Int32Array(BATCH * MAX_WORDS);
  private readonly batchLength = new Int32Array(BATCH);
  private readonly batchHash = new Int32Array(BATCH);
  private readonly batchHome = new Int32Array(BATCH);
  private readonly batchText: string[] = new Array<string>(BATCH).fill("");
  private pending = 0;
  /** Ids so far (begin() .. end()). */
  private out = EMPTY;
  private count = 0;
  private running = false;
  /** Kept so the touching loads in lookUp() are not optimised away. */
  private touched = 0;

  get size(): number {
    return this.display.length;
  }

  /**
   * Seed of the hash, random per table unless given: the hash can be run backwards, so with
   * a fixed seed an inventory could be written whose names all share one hash and make
   * every lookup walk one long chain. Ids do not depend on it (they follow first sight).
   */
  constructor(private readonly seed = (Math.random() * 0x100000000) | 0) {}

  /** The id of one name ("" -> -1), outside a begin() .. end() run. */
  id(text: string): number {
    if (this.running) throw new Error("Names.id() inside a begin() .. end() run would lose the run's names");
    this.pack(text, 0);
    const length = this.batchLength[0];
    const id = length < 0 ? (text ? this.otherId(text) : -1) : this.find(text, 0, this.batchHash[0], length);
    this.batchText[0] = "";
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
   * the row, and no million-entry array of strings is kept for later: on the bench that
   * array was what pushed V8 into one more full collection of the whole grid (median audit
   * 2.78 s -> 2.52 s over ten runs each). A full batch is looked up at once, so lookups
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
    } else this.pack(text, b);
    this.batchText[b] = text;
    this.pending = b + 1;
    if (this.pending === BATCH) this.flush();
  }

  /** The ids of every name pushed since begin(), in order. */
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
    if (this.count + n > this.out.length) {
      const grown = new Int32Array(2 * (this.count + n));
      grown.set(this.out.subarray(0, this.count));
      this.out = grown;
    }
    this.lookUp(n, this.out, this.count);
    this.count += n;
    this.pending = 0;
  }

  /**
   * Lower-cased words and hash of one name into batch position b; length -1 when it does not
   * fit. The common case, plain ASCII, is read four characters at a time and folded four at
   * a time (foldAscii), which is about a quarter faster than a branch per character; a name
   * with any other character is packed again by packLowered.
   */
  private pack(text: string, b: number): void {
    const length = text.length;
    this.batchLength[b] = -1;
    if (length === 0 || length > MAX_CHARS) return;
    const out = this.batchWords;
    const base = b * MAX_WORDS;
    let h = this.seed ^ length;
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
    if (any >= 128) return this.packLowered(text.toLowerCase(), b);
    this.batchLength[b] = length;
    this.batchHash[b] = h;
  }

  /**
   * pack() for a name with a character beyond ASCII: lower-cased by toLowerCase (as the Map on
   * the other names is) and packed as it then is, if it still fits and every character then
   * fits in 8 bits. (pack() checked the length before lower-casing, which is safe: no
   * toLowerCase mapping is shorter than the character it maps, checked for every UTF-16 code
   * unit on Node 20; the lower-cased text can only be longer.)
   */
  private packLowered(lower: string, b: number): void {
    const length = lower.length;
    if (length > MAX_CHARS) return;
    const out = this.batchWords;
    const base = b * MAX_WORDS;
    let h = this.seed ^ length;
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
    this.batchLength[b] = length;
    this.batchHash[b] = h;
  }

  private lookUp(n: number, ids: Int32Array, offset: number): void {
    const texts = this.batchText;
    const lengths = this.batchLength;
    const hashes = this.batchHash;
    const batch = this.batchWords;
    // Touch each row's home slot, then the words it points at, in tight loops whose loads
    // do not depend on each other: the memory system fetches many at once. find() then hits
    // the cache instead of waiting on two trips to memory per name. (A KNOWN row's "hash"
    // is its id: touching for it is harmless.)
    const slots = this.slots;
    const mask = this.mask;
    const words = this.words;
    const home = this.batchHome;
    let touched = 0;
    for (let b = 0; b < n; b++) {
      const h = hashes[b];
      home[b] = SLOT * ((h ^ (h >>> 16)) & mask);
      touched += slots[home[b] + 2];
    }
    for (let b = 0; b < n; b++) {
      // The first word and the last: a name's words can straddle two cache lines.
      const o = slots[home[b] + 2];
      const last = (slots[home[b] + 3] + 3) >> 2;
      touched += words[o] + words[last > 1 ? o + last - 1 : o];
    }
    this.touched = touched;
    for (let b = 0; b < n; b++) {
      const i = offset + b;
      const length = lengths[b];
      if (length === KNOWN) {
        ids[i] = hashes[b];
        continue;
      }
      if (length < 0) {
        ids[i] = texts[b] ? this.otherId(texts[b]) : -1;
        continue;
      }
      // Exports are often sorted by user or device: a repeat of the row above skips the table.
      if (b > 0 && hashes[b] === hashes[b - 1] && lengths[b - 1] === length && sameWords(batch, b * MAX_WORDS, batch, (b - 1) * MAX_WORDS, length)) {
        ids[i] = ids[i - 1];
        continue;
      }
      ids[i] = this.find(texts[b], b, hashes[b], length);
      const spellings = this.spellings;
      if (spellings !== null) {
        if (spellings.size < SPELLINGS) spellings.set(texts[b], ids[i]);
        else this.spellings = null;
      }
    }
  }

  private find(text: string, b: number, h: number, length: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const base = b * MAX_WORDS;
    let i = (h ^ (h >>> 16)) & mask;
    for (;;) {
      const s = SLOT * i;
      const id = slots[s + 1] - 1;
      if (id < 0) break;
      if (slots[s] === h && slots[s + 3] === length && sameWords(this.words, slots[s + 2], this.batchWords, base, length)) return id;
      i = (i + 1) & mask;
    }
    // A new name: keep its words and its spelling as first seen.
    const id = this.display.length;
    this.display.push(text);
    const n = (length + 3) >> 2;
    if (this.used + n > this.words.length) {
      const grown = new Int32Array(2 * (this.used + n));
      grown.set(this.words);
      this.words = grown;
    }
    for (let k = 0; k < n; k++) this.words[this.used + k] = this.batchWords[base + k];
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

  private otherId(text: string): number {
    const key = text.toLowerCase();
    let id = this.other.get(key);
    if (id === undefined) {
      id = this.display.length;
      this.display.push(text);
      this.other.set(key, id);
    }
    return id;
  }

  private grow(): void {
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

function sameWords(a: Int32Array, aStart: number, b: Int32Array, bStart: number, length: number): boolean {
  const n = (length + 3) >> 2;
  for (let k = 0; k < n; k++) if (a[aStart + k] !== b[bStart + k]) return false;
  return true;
}

/** One multiply-xorshift round per word: spreads names that differ in one digit. */
function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x9e3779b1);
  return h ^ (h >>> 15);
}
