/**
 * A small RFC 4180 CSV reader that keeps the 1-based line number of every record, so errors can
 * point at file:line. Handles quoted fields (with delimiters, doubled quotes and line breaks),
 * LF, CRLF and CR line endings, a UTF-8 byte order mark, and blank lines (skipped).
 */
import { InputError } from '../errors.js';

export interface CsvRecord {
  /** Field values, unquoted, not trimmed. */
  fields: string[];
  /** Line on which the record starts, 1-based. */
  line: number;
}

/** Picks comma, semicolon or tab: whichever occurs most often outside quotes on the first non-blank line. */
export function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? '';
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let inQuotes = false;
  for (const char of firstLine) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** Parses CSV text into records. `file` names the source in error messages. */
export function parseCsv(text: string, delimiter: string, file: string): CsvRecord[] {
  return new CsvReader(text.replace(/^\uFEFF/, ''), delimiter, file).read();
}

class CsvReader {
  private records: CsvRecord[] = [];
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private sawQuote = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;

  constructor(
    private readonly source: string,
    private readonly delimiter: string,
    private readonly file: string,
  ) {}

  read(): CsvRecord[] {
    for (let i = 0; i < this.source.length; i++) {
      i = this.quoted ? this.readQuoted(i) : this.readPlain(i);
    }
    if (this.quoted) {
      throw new InputError(`${this.file}:${this.quoteLine}: a quoted field is not closed before the end of the file`, {
        location: { file: this.file, line: this.quoteLine },
        hint: 'add the closing quote (")',
      });
    }
    if (this.field !== '' || this.fields.length > 0 || this.sawQuote) this.endRecord();
    return this.records;
  }

  /** Consumes the character, or run of ordinary characters, at `i` inside quotes and returns the index of the last one consumed. */
  private readQuoted(i: number): number {
    const char = this.source[i];
    const next = this.source[i + 1];
    if (char === '"' && next === '"') {
      this.field += '"';
      return i + 1;
    }
    if (char === '"') {
      this.quoted = false;
      if (next !== undefined && next !== this.delimiter && next !== '\n' && next !== '\r') {
        throw new InputError(`${this.file}:${this.line}: unexpected character after a closing quote`, {
          location: { file: this.file, line: this.line },
          value: next,
          hint: 'write a quote inside a quoted field as two quotes ("")',
        });
      }
      return i;
    }
    if (char === '\n' || (char === '\r' && next !== '\n')) this.line++;
    if (char === '\n' || char === '\r') {
      this.field += char;
      return i;
    }
    const end = this.runEnd(i, false);
    this.field += this.source.slice(i, end);
    return end - 1;
  }

  /**
   * Returns the index after the run of ordinary characters that starts at `i`: up to the next quote
   * or line break, or delimiter outside quotes. Appending whole runs with one slice keeps a 10 MB
   * field from becoming ten million string concatenations.
   */
  private runEnd(i: number, plain: boolean): number {
    let end = i;
    while (end < this.source.length) {
      const char = this.source[end];
      if (char === '"' || char === '\n' || char === '\r' || (plain && char === this.delimiter)) break;
      end++;
    }
    return Math.max(end, i + 1);
  }

  private readPlain(i: number): number {
    const char = this.source[i];
    if (char === '"' && this.field.trim() === '') {
      this.quoted = true;
      this.sawQuote = true;
      this.quoteLine = this.line;
      this.field = '';
    } else if (char === this.delimiter) {
      this.fields.push(this.field);
      this.field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && this.source[i + 1] === '\n') i++;
      this.endRecord();
      this.line++;
      this.recordLine = this.line;
    } else if (char === '"') {
      this.field += char;
    } else {
      const end = this.runEnd(i, true);
      this.field += this.source.slice(i, end);
      return end - 1;
    }
    return i;
  }

  private endRecord(): void {
    this.fields.push(this.field);
    const blank = !this.sawQuote && this.fields.length === 1 && this.fields[0].trim() === '';
    if (!blank) this.records.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.field = '';
    this.sawQuote = false;
  }
}
