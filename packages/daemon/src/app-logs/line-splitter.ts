const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Asked newest line first with each complete line's length in bytes: false once that line and
 * every older one can be left out (see LogRing.admitsNewest).
 */
export type NewestLines = (lineBytes: number) => boolean;

/**
 * Turns a byte stream into lines. The bytes after the last newline wait (as `pending`) for
 * the rest of their line; a line longer than `maxLineBytes` is cut into pieces so pending
 * never grows past that. `pending` is always the exact suffix of the bytes pushed so far,
 * which rotation relies on to keep a partial line in the live file.
 *
 * @example
 * const splitter = new LineSplitter(16 * 1024);
 * splitter.push(Buffer.from('a\nb')); // ['a']
 * splitter.push(Buffer.from('c\n'));  // ['bc']
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #pending: Buffer = Buffer.alloc(0);

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = Math.max(4, maxLineBytes);
  }

  /** The bytes of the unfinished last line. */
  get pending(): Buffer {
    return this.#pending;
  }

  /**
   * Complete lines in `chunk` (joined to what was pending), without their newline. With
   * `newest`, only the newest lines it admits are decoded (a flood nobody follows costs one
   * string per line the ring keeps, not one per line written); `pending` is the same either way.
   */
  push(chunk: Buffer, newest?: NewestLines): string[] {
    const data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const lines: string[] = [];
    let start = newest ? startOfNewest(data, newest) : 0;
    for (let newline = data.indexOf(NEWLINE, start); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
      const from = this.#cutPieces(data, start, newline, lines);
      const end = newline > from && data[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
      lines.push(data.toString('utf8', from, end));
      start = newline + 1;
    }
    start = this.#cutPieces(data, start, data.length, lines);
    // Copied so the pending bytes do not pin the (large) read buffer.
    this.#pending = Buffer.from(data.subarray(start));
    return lines;
  }

  /** Ends the stream: the pending bytes become a last line (if any). */
  flush(): string[] {
    if (this.#pending.length === 0) return [];
    const line = this.#pending.toString('utf8');
    this.#pending = Buffer.alloc(0);
    return [line];
  }

  // Emits maxLineBytes pieces of data[start, end) while more than that remains; returns where the rest starts.
  #cutPieces(data: Buffer, start: number, end: number, lines: string[]): number {
    let from = start;
    while (end - from > this.#maxLineBytes) {
      const cut = utf8Boundary(data, from + this.#maxLineBytes, from);
      lines.push(data.toString('utf8', from, cut));
      from = cut;
    }
    return from;
  }
}

/** Where the oldest complete line `newest` admits starts (walking back from the last newline); 0 when it admits them all. */
function startOfNewest(data: Buffer, newest: NewestLines): number {
  let end = data.lastIndexOf(NEWLINE);
  while (end !== -1) {
    const start = end === 0 ? 0 : data.lastIndexOf(NEWLINE, end - 1) + 1;
    if (!newest(end - start)) return end + 1;
    if (start === 0) return 0;
    end = start - 1;
  }
  return 0;
}

/** The nearest index at or before `index` that does not split a UTF-8 sequence. */
function utf8Boundary(data: Buffer, index: number, floor: number): number {
  let cut = index;
  // Continuation bytes look like 10xxxxxx; back up to the lead byte.
  while (cut > floor + 1 && ((data[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut;
}
