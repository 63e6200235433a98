import { createReadStream } from 'node:fs';
import type { BadRow } from './types.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the closing quote or the first of `""`. */
  QuoteInQuoted,
  /** Text after a closing quote: the record is refused, its rest is skipped. */
  Broken,
}

/** Where records start, and which ones the bulk reader refused. */
export interface CsvLineMap {
  /** Staged position (0-based, among the well-formed records) → physical line. */
  lines: Map<number, number>;
  /** Refused records, in file order, with their reasons. */
  malformed: BadRow[];
}

/**
 * Finds the physical line each record starts on. The bulk reader knows record positions but not
 * lines (a quoted field may hold newlines), so on the error path the file is scanned once more,
 * splitting records the way the reader's strict RFC 4180 mode does: a quote opens a quoted field
 * only at its start, `""` inside one is a quote, and a record ends at a newline outside quotes.
 * Records with the wrong field count, broken quoting or bytes that are not UTF-8 are the ones the
 * reader refused; they do not take a staged position. Blank lines are not records, except in a one-column file.
 */
export class CsvLineScanner {
  readonly map: CsvLineMap = { lines: new Map(), malformed: [] };
  private state = State.FieldStart;
  private line = 1;
  private recordLine = 1;
  private fields = 1;
  private empty = true;
  private broken: string | undefined;
  private afterCr = false;
  /** UTF-8 continuation bytes still expected. */
  private continuation = 0;
  private inHeader = true;
  private staged = 0;
  private readonly wanted: Set<number>;

  constructor(
    private readonly columnCount: number,
    wanted: Iterable<number>,
    private readonly malformedWanted: number,
  ) {
    this.wanted = new Set(wanted);
  }

  /** True once every wanted line is known and enough refused records are described. */
  get done(): boolean {
    return this.wanted.size === 0 && this.map.malformed.length >= this.malformedWanted;
  }

  feed(buf: Uint8Array): void {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i] as number;
      if (b >= 0x80 || this.continuation > 0) this.checkUtf8(b);
      if (b === LF && this.afterCr) {
        this.afterCr = false; // the LF of a CRLF already counted at the CR
        continue;
      }
      this.afterCr = b === CR;
      const newline = b === LF || b === CR;
      switch (this.state) {
        case State.Quoted:
          if (b === QUOTE) this.state = State.QuoteInQuoted;
          else if (newline) this.line++;
          continue;
        case State.Broken:
          if (newline) this.endRecord();
          continue;
        case State.QuoteInQuoted:
          if (b === QUOTE) this.state = State.Quoted;
          else if (b === COMMA) this.nextField();
          else if (newline) this.endRecord();
          else {
            this.broken = 'unexpected text after a closing quote';
            this.state = State.Broken;
          }
          continue;
        default:
          if (newline) this.endRecord();
          else if (b === COMMA) {
            this.empty = false;
            this.nextField();
          } else if (this.state === State.FieldStart) {
            this.empty = false;
            this.state = b === QUOTE ? State.Quoted : State.Unquoted;
          }
      }
    }
  }

  end(): CsvLineMap {
    if (this.state === State.Quoted) this.broken = 'a quoted field is never closed';
    if (!this.empty || this.state !== State.FieldStart || this.broken) this.finishRecord();
    return this.map;
  }

  /** The reader refuses a record that is not UTF-8; so must the scanner, to stay in step. */
  private checkUtf8(b: number): void {
    if (b >= 0x80 && b < 0xc0) {
      if (this.continuation > 0) this.continuation--;
      else this.broken ??= 'not valid UTF-8 text';
      return;
    }
    if (this.continuation > 0) this.broken ??= 'not valid UTF-8 text';
    if (b < 0x80) this.continuation = 0;
    else if (b >= 0xc2 && b <= 0xdf) this.continuation = 1;
    else if (b >= 0xe0 && b <= 0xef) this.continuation = 2;
    else if (b >= 0xf0 && b <= 0xf4) this.continuation = 3;
    else {
      this.continuation = 0;
      this.broken ??= 'not valid UTF-8 text';
    }
  }

  private nextField(): void {
    this.fields++;
    this.state = State.FieldStart;
  }

  private endRecord(): void {
    this.finishRecord();
    this.line++;
    this.recordLine = this.line;
  }

  private finishRecord(): void {
    const blank = this.empty && this.state === State.FieldStart && !this.broken;
    if (!(blank && this.columnCount > 1)) {
      if (this.inHeader) {
        this.inHeader = false;
      } else if (this.broken || this.fields !== this.columnCount) {
        const reason = this.broken ?? `expected ${this.columnCount} fields, found ${this.fields}`;
        this.map.malformed.push({ line: this.recordLine, reason });
      } else {
        if (this.wanted.delete(this.staged)) this.map.lines.set(this.staged, this.recordLine);
        this.staged++;
      }
    }
    this.state = State.FieldStart;
    this.fields = 1;
    this.empty = true;
    this.broken = undefined;
  }
}

/**
 * Scan `path` until the lines of the `wanted` staged positions and the first `malformedWanted`
 * refused records are known (or the file ends).
 */
export async function mapCsvLines(
  path: string,
  columnCount: number,
  wanted: Iterable<number>,
  malformedWanted: number,
): Promise<CsvLineMap> {
  const scanner = new CsvLineScanner(columnCount, wanted, malformedWanted);
  if (scanner.done) return scanner.map;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of input) {
      scanner.feed(chunk as Buffer);
      if (scanner.done) return scanner.map;
    }
  } finally {
    input.destroy();
  }
  return scanner.end();
}
