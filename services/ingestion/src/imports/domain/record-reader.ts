/** One record of an import file with where it sits, so that a checkpoint can resume right after it. */
export interface FileRecord {
  /** 1-based number of the record's first line. */
  line: number;
  /** Number of the record's last line (differs from `line` for CSV fields with embedded newlines). */
  lastLine: number;
  /** Byte offset just past the record (and its newline): where reading resumes. */
  endByte: number;
  /** The record's text without the trailing newline. */
  text: string;
  /** Set when the record cannot be read (`unbalanced_quote`): reject it with this code, keep the rest. */
  error?: 'unbalanced_quote';
}

/** A quoted CSV field may span at most this many lines / bytes; past that the opening line is an unbalanced quote. */
export const MAX_RECORD_LINES = 200;
export const MAX_RECORD_BYTES = 256 * 1024;

interface Line {
  text: string;
  line: number;
  endByte: number;
  bytes: number;
}

function quoteCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * Splits a byte stream into records: one per line for JSONL, and for CSV one per line unless a quoted
 * field spans lines (odd number of quotes), in which case lines are joined. Linear: each line's quotes are
 * counted once (the parity is carried), and a record may span at most MAX_RECORD_LINES / MAX_RECORD_BYTES;
 * when a quote is still open past that, the opening line is handed out with `error: 'unbalanced_quote'` and
 * the lines after it are read again as records of their own (so one stray quote costs one row, not the file,
 * and never more than MAX_RECORD_LINES re-reads). Tracks exact byte offsets (the input is bytes, not
 * characters) so a resumed import starts exactly after the last acknowledged record.
 */
export class RecordReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private carry: Line[] = [];
  private carryBytes = 0;
  private lineNo: number;
  private offset: number;

  constructor(
    private readonly csv: boolean,
    start: { byte: number; line: number } = { byte: 0, line: 0 },
  ) {
    this.offset = start.byte;
    this.lineNo = start.line;
  }

  push(chunk: Buffer): FileRecord[] {
    const out: FileRecord[] = [];
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) break;
      const piece = chunk.subarray(from, nl + 1);
      const lineBuf = this.pendingBytes ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.pendingBytes = 0;
      this.take(lineBuf, true, out);
      from = nl + 1;
    }
    if (from < chunk.length) {
      this.pending.push(chunk.subarray(from));
      this.pendingBytes += chunk.length - from;
    }
    return out;
  }

  /** Flushes the last line (a file need not end with a newline) and any quote left open. */
  end(): FileRecord[] {
    const out: FileRecord[] = [];
    if (this.pendingBytes) this.take(Buffer.concat(this.pending), false, out);
    this.pending = [];
    this.pendingBytes = 0;
    while (this.carry.length) this.overflow(out);
    return out;
  }

  private take(lineBuf: Buffer, hasNewline: boolean, out: FileRecord[]): void {
    this.offset += lineBuf.length;
    this.lineNo++;
    let text = lineBuf.toString('utf8', 0, hasNewline ? lineBuf.length - 1 : lineBuf.length);
    if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 byte-order mark
    this.feed({ text, line: this.lineNo, endByte: this.offset, bytes: lineBuf.length }, out);
  }

  private feed(l: Line, out: FileRecord[]): void {
    if (!this.csv) {
      out.push(record([l]));
      return;
    }
    const odd = quoteCount(l.text) % 2 === 1;
    if (this.carry.length === 0) {
      if (!odd) out.push(record([l]));
      else {
        this.carry = [l];
        this.carryBytes = l.bytes;
      }
      return;
    }
    this.carry.push(l);
    this.carryBytes += l.bytes;
    if (odd) {
      // the quote opened on the first carried line closes here
      out.push(record(this.carry));
      this.carry = [];
      this.carryBytes = 0;
    } else if (this.carry.length > MAX_RECORD_LINES || this.carryBytes > MAX_RECORD_BYTES) this.overflow(out);
  }

  /** The first carried line opened a quote that never closed in time: reject it, read the others again. */
  private overflow(out: FileRecord[]): void {
    const [first, ...rest] = this.carry;
    this.carry = [];
    this.carryBytes = 0;
    out.push({ ...record([first]), error: 'unbalanced_quote' });
    for (const l of rest) this.feed(l, out);
  }
}

/** The reject message of an `unbalanced_quote` record. */
export function unbalancedQuoteMessage(line: number): string {
  return `line ${line}: a quoted field opens on this line and does not close within ${MAX_RECORD_LINES} lines (or ${MAX_RECORD_BYTES} bytes) or before the end of the file; the row is rejected and the lines after it are read as rows of their own`;
}

function record(lines: readonly Line[]): FileRecord {
  let text = lines.length === 1 ? lines[0].text : lines.map((l) => l.text).join('\n');
  if (text.endsWith('\r')) text = text.slice(0, -1);
  const last = lines[lines.length - 1];
  return { line: lines[0].line, lastLine: last.line, endByte: last.endByte, text };
}

/** Parses one CSV record (RFC 4180: quoted fields, doubled quotes, embedded delimiters and newlines). */
export function parseCsvRecord(text: string, delimiter = ','): string[] {
  const out: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  const d = delimiter.charCodeAt(0);
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (quoted) {
      if (ch === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += text[i];
      i++;
      continue;
    }
    if (ch === 34 && field === '') {
      quoted = true;
      i++;
    } else if (ch === d) {
      out.push(field);
      field = '';
      i++;
    } else {
      field += text[i];
      i++;
    }
  }
  out.push(field);
  return out;
}
