import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

const CHUNK_CHARS = 1 << 20;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted only when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Appends CSV lines to a file in large string chunks, waiting for the stream to drain when
 * it asks to, so memory stays flat however many rows are written.
 */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  private failure: Error | undefined;

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: CHUNK_CHARS });
    // Kept and rethrown on the next flush, so a full disk fails the generation instead of the process.
    this.stream.on('error', (e) => (this.failure = e));
    this.buffer = `${header.join(',')}\r\n`;
  }

  /** Add one line whose fields are already CSV-safe. Returns true when the caller should `flush`. */
  line(text: string): boolean {
    this.buffer += `${text}\r\n`;
    return this.buffer.length >= CHUNK_CHARS;
  }

  /** Hand the buffered text to the stream, waiting for it to drain when it is full. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const ok = this.stream.write(this.buffer);
    this.buffer = '';
    if (!ok) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }
}
