/**
 * BERT's WordPiece tokenizer (as in Google's BERT and Hugging Face BertTokenizer), so a
 * sequence classifier fine-tuned from e.g. bert-base-chinese can be served from its vocab.txt:
 * basic tokenisation (clean control characters, split every CJK character, optional lower
 * case with accents stripped, split on punctuation) then greedy longest-match-first word
 * pieces with the "##" continuation prefix.
 */
export interface WordPieceConfig {
  vocab: string[];
  lowercase: boolean;
  /** Total length including [CLS] and [SEP]. */
  maxLength: number;
  unkToken: string;
  clsToken: string;
  sepToken: string;
  padToken: string;
  /** Words longer than this (in characters) become [UNK], as in BERT. */
  maxCharsPerWord: number;
}

export interface EncodedBatch {
  /** [n, length] row-major */
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  n: number;
  length: number;
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isPunctuation(ch: string, cp: number): boolean {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

/** BERT's BasicTokenizer: words and single punctuation / CJK characters. */
export function basicTokenize(text: string, lowercase: boolean): string[] {
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || (/\p{Cc}|\p{Cf}/u.test(ch) && !/\s/u.test(ch))) continue;
    if (isCjk(cp)) cleaned += ` ${ch} `;
    else cleaned += /\s/u.test(ch) ? ' ' : ch;
  }
  const out: string[] = [];
  for (let word of cleaned.split(' ').filter(Boolean)) {
    if (lowercase) word = word.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    let current = '';
    for (const ch of word) {
      if (isPunctuation(ch, ch.codePointAt(0)!)) {
        if (current) out.push(current);
        out.push(ch);
        current = '';
      } else current += ch;
    }
    if (current) out.push(current);
  }
  return out;
}

export class WordPieceTokenizer {
  private readonly ids: Map<string, number>;

  constructor(readonly config: WordPieceConfig) {
    this.ids = new Map(config.vocab.map((t, i) => [t, i]));
    for (const special of [config.unkToken, config.clsToken, config.sepToken, config.padToken]) {
      if (!this.ids.has(special)) throw new Error(`vocab lacks the special token ${special}`);
    }
  }

  /** Word pieces of a text (no [CLS]/[SEP]). */
  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const word of basicTokenize(text, this.config.lowercase)) {
      const chars = Array.from(word);
      if (chars.length > this.config.maxCharsPerWord) {
        out.push(this.config.unkToken);
        continue;
      }
      const pieces: string[] = [];
      let start = 0;
      let bad = false;
      while (start < chars.length) {
        let end = chars.length;
        let found: string | null = null;
        while (start < end) {
          const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
          if (this.ids.has(sub)) {
            found = sub;
            break;
          }
          end--;
        }
        if (found === null) {
          bad = true;
          break;
        }
        pieces.push(found);
        start = end;
      }
      if (bad) out.push(this.config.unkToken);
      else out.push(...pieces);
    }
    return out;
  }

  /** [CLS] pieces [SEP], truncated to maxLength, padded with [PAD] to the longest in the batch. */
  encode(texts: readonly string[]): EncodedBatch {
    const rows = texts.map((t) => {
      const pieces = this.tokenize(t).slice(0, this.config.maxLength - 2);
      return [this.config.clsToken, ...pieces, this.config.sepToken].map((p) => this.ids.get(p)!);
    });
    const length = Math.max(2, ...rows.map((r) => r.length));
    const n = rows.length;
    const inputIds = new BigInt64Array(n * length).fill(BigInt(this.ids.get(this.config.padToken)!));
    const attentionMask = new BigInt64Array(n * length);
    const tokenTypeIds = new BigInt64Array(n * length);
    rows.forEach((r, i) =>
      r.forEach((id, j) => {
        inputIds[i * length + j] = BigInt(id);
        attentionMask[i * length + j] = 1n;
      }),
    );
    return { inputIds, attentionMask, tokenTypeIds, n, length };
  }
}
