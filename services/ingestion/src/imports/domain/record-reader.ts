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
}

function quotesBalanced(s: string): boolean {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 34) n++;
  return n % 2 === 0;
}

/**
 * Splits a byte stream into records: one per line for JSONL, and for CSV one per line unless a quoted
 * field spans lines (quotes unbalanced), in which case lines are joined. Tracks exact byte offsets
 * (the input is bytes, not characters) so a resumed import starts exactly after the last acknowledged record.
 */
export class RecordReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private carry: { text: string; line: number } | null = null;
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
      this.emit(lineBuf, true, out);
      from = nl + 1;
    }
    if (from < chunk.length) {
      this.pending.push(chunk.subarray(from));
      this.pendingBytes += chunk.length - from;
    }
    return out;
  }

  /** Flushes the last line (a file need not end with a newline). */
  end(): FileRecord[] {
    const out: FileRecord[] = [];
    if (this.pendingBytes) this.emit(Buffer.concat(this.pending), false, out);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.carry) {
      // unterminated quote at end of file: hand it over as is; the CSV parser reports it
      out.push({ line: this.carry.line, lastLine: this.lineNo, endByte: this.offset, text: this.carry.text });
      this.carry = null;
    }
    return out;
  }

  private emit(lineBuf: Buffer, hasNewline: boolean, out: FileRecord[]): void {
    this.offset += lineBuf.length;
    this.lineNo++;
    let text = lineBuf.toString('utf8', 0, hasNewline ? lineBuf.length - 1 : lineBuf.length);
    if (this.carry) {
      text = `${this.carry.text}\n${text}`;
    } else if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1); // UTF-8 byte-order mark
    }
    const firstLine = this.carry?.line ?? this.lineNo;
    if (this.csv && !quotesBalanced(text)) {
      this.carry = { text, line: firstLine };
      return;
    }
    this.carry = null;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    out.push({ line: firstLine, lastLine: this.lineNo, endByte: this.offset, text });
  }
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
