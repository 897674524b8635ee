/**
 * Text → sparse feature vector: character n-grams hashed into a fixed dimension (the
 * "hashing trick", as fastText and Vowpal Wabbit do). Works the same for Chinese (every
 * character is a token) and English (n-grams span letters and the spaces between words).
 *
 * Training and serving both call `featurize` with the config saved beside the model, so the
 * tokenisation in serving equals training's byte for byte.
 */

export interface FeaturizerConfig {
  /**
   * `char-ngram-hash`: character n-grams only. `char-word-ngram-hash`: the same character n-grams plus
   * word n-grams of the jieba segmentation (`words`), hashed into the same buckets.
   */
  kind: 'char-ngram-hash' | 'char-word-ngram-hash';
  /** Number of hash buckets = input width of the model. */
  dim: number;
  /** Smallest and largest n-gram length in Unicode code points. */
  minN: number;
  maxN: number;
  /** Mixed into the FNV-1a offset basis; a different seed gives a different bucket layout. */
  seed: number;
  /** Code points kept from the normalised text; the rest is ignored. */
  maxChars: number;
  /** Word n-grams (required for `char-word-ngram-hash`, absent otherwise). */
  words?: WordNgramConfig;
}

/**
 * Word n-grams over the segmentation of the normalised, truncated text by @node-rs/jieba with its
 * bundled dictionary (exact mode, HMM for unknown words); whitespace tokens are dropped. A word
 * n-gram is hashed as FNV-1a over 0x01 (marks it as a word gram, apart from character grams) and
 * the UTF-8 bytes of its words, each followed by 0x00.
 */
export interface WordNgramConfig {
  segmenter: 'jieba';
  minN: number;
  maxN: number;
  /** @node-rs/jieba version at training time (recorded, not used to featurize). */
  version?: string;
}

/** Splits a normalised text into words; the default is jieba (see word-segmenter.ts). */
export type WordSegmenter = (normalisedText: string) => string[];

export const DEFAULT_FEATURIZER: FeaturizerConfig = { kind: 'char-ngram-hash', dim: 1 << 15, minN: 1, maxN: 3, seed: 0, maxChars: 2000 };

/** Sorted bucket indices with their weights. */
import type { SparseVector } from '@livepromo/ml';
export type { SparseVector };

import { jiebaSegmenter } from './word-segmenter';

const defaultSegmenter: WordSegmenter = (t) => jiebaSegmenter()(t);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over bytes, offset basis XOR seed (seed 0 is the standard FNV-1a). */
export function fnv1a32(bytes: ArrayLike<number>, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** NFKC (full-width → half-width), lower case, whitespace runs → one space, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** UTF-8 bytes of one code point. */
function utf8(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/** Code points of the normalised, padded text (a space marks the start and the end). */
export function codePoints(text: string, cfg: Pick<FeaturizerConfig, 'maxChars'>): number[] {
  const norm = normalizeText(text);
  const cps: number[] = [0x20];
  for (const ch of norm) {
    if (cps.length > cfg.maxChars) break;
    cps.push(ch.codePointAt(0)!);
  }
  cps.push(0x20);
  return cps;
}

/** The n-grams as strings (for tests and explanations; `featurize` hashes without building them). */
export function charNgrams(text: string, cfg: Pick<FeaturizerConfig, 'minN' | 'maxN' | 'maxChars'>): string[] {
  const cps = codePoints(text, cfg);
  const out: string[] = [];
  for (let n = cfg.minN; n <= cfg.maxN; n++) {
    for (let i = 0; i + n <= cps.length; i++) {
      const gram = String.fromCodePoint(...cps.slice(i, i + n));
      if (gram.trim() === '') continue;
      out.push(gram);
    }
  }
  return out;
}

/**
 * Hashed n-gram counts, weighted log(1 + count), then scaled to unit L2 norm.
 * Bucket = FNV-1a(UTF-8 bytes of the n-gram, seed) mod dim. N-grams of only spaces are skipped.
 */
export function featurize(text: string, cfg: FeaturizerConfig, segment: WordSegmenter = defaultSegmenter): SparseVector {
  const cps = codePoints(text, cfg);
  const bytes = cps.map(utf8);
  const counts = new Map<number, number>();
  for (let n = cfg.minN; n <= cfg.maxN; n++) {
    for (let i = 0; i + n <= cps.length; i++) {
      let allSpace = true;
      let h = (FNV_OFFSET ^ cfg.seed) >>> 0;
      for (let j = i; j < i + n; j++) {
        if (cps[j] !== 0x20) allSpace = false;
        const b = bytes[j];
        for (let k = 0; k < b.length; k++) {
          h ^= b[k];
          h = Math.imul(h, FNV_PRIME) >>> 0;
        }
      }
      if (allSpace) continue;
      const bucket = (h >>> 0) % cfg.dim;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
  }
  if (cfg.kind === 'char-word-ngram-hash' && cfg.words) {
    for (const bucket of wordNgramBuckets(String.fromCodePoint(...cps.slice(1, -1)).trim(), cfg, segment)) counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  for (let i = 0; i < indices.length; i++) {
    const w = Math.log1p(counts.get(indices[i])!);
    values[i] = w;
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < values.length; i++) values[i] = values[i] / norm;
  return { indices, values };
}

/** The words of a normalised text that the word n-grams are built from (whitespace tokens dropped). */
export function words(normalisedText: string, segment: WordSegmenter = defaultSegmenter): string[] {
  if (!normalisedText) return [];
  return segment(normalisedText).filter((w) => w.trim() !== '');
}

/** The word n-grams of a text as strings joined by a space (for tests and explanations). */
export function wordNgrams(text: string, cfg: Pick<FeaturizerConfig, 'maxChars' | 'words'>, segment: WordSegmenter = defaultSegmenter): string[] {
  if (!cfg.words) return [];
  const cps = codePoints(text, cfg);
  const ws = words(String.fromCodePoint(...cps.slice(1, -1)).trim(), segment);
  const out: string[] = [];
  for (let n = cfg.words.minN; n <= cfg.words.maxN; n++) for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(' '));
  return out;
}

const encoder = new TextEncoder();

function wordNgramBuckets(normalisedText: string, cfg: FeaturizerConfig, segment: WordSegmenter): number[] {
  const w = cfg.words!;
  const ws = words(normalisedText, segment).map((x) => encoder.encode(x));
  const out: number[] = [];
  for (let n = w.minN; n <= w.maxN; n++) {
    for (let i = 0; i + n <= ws.length; i++) {
      let h = (FNV_OFFSET ^ cfg.seed) >>> 0;
      h ^= 0x01;
      h = Math.imul(h, FNV_PRIME) >>> 0;
      for (let j = i; j < i + n; j++) {
        const b = ws[j];
        for (let k = 0; k < b.length; k++) {
          h ^= b[k];
          h = Math.imul(h, FNV_PRIME) >>> 0;
        }
        h = Math.imul(h, FNV_PRIME) >>> 0; // the 0x00 separator: XOR with 0 is a no-op
      }
      out.push((h >>> 0) % cfg.dim);
    }
  }
  return out;
}

/** Row-major dense [rows.length, dim] matrix, the model's input tensor. */
export function toDense(rows: readonly SparseVector[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) {
    const { indices, values } = rows[r];
    const base = r * dim;
    for (let i = 0; i < indices.length; i++) out[base + indices[i]] += values[i];
  }
  return out;
}

export function validateFeaturizerConfig(cfg: FeaturizerConfig): FeaturizerConfig {
  if (cfg.kind !== 'char-ngram-hash' && cfg.kind !== 'char-word-ngram-hash') throw new Error(`unknown featurizer kind ${String(cfg.kind)}`);
  if (cfg.kind === 'char-word-ngram-hash') {
    const w = cfg.words;
    if (!w || w.segmenter !== 'jieba') throw new Error('featurizer char-word-ngram-hash needs words: { segmenter: "jieba", minN, maxN }');
    if (!Number.isInteger(w.minN) || !Number.isInteger(w.maxN) || w.minN < 1 || w.maxN < w.minN || w.maxN > 3) throw new Error('word n-gram range must satisfy 1 <= minN <= maxN <= 3');
  } else if (cfg.words) throw new Error('featurizer char-ngram-hash takes no words config (use char-word-ngram-hash)');
  if (!Number.isInteger(cfg.dim) || cfg.dim < 16 || cfg.dim > 1 << 20) throw new Error('featurizer dim must be an integer in [16, 2^20]');
  if (!Number.isInteger(cfg.minN) || !Number.isInteger(cfg.maxN) || cfg.minN < 1 || cfg.maxN < cfg.minN || cfg.maxN > 5) {
    throw new Error('featurizer n-gram range must satisfy 1 <= minN <= maxN <= 5');
  }
  if (!Number.isInteger(cfg.seed) || cfg.seed < 0 || cfg.seed > 0xffffffff) throw new Error('featurizer seed must be a uint32');
  if (!Number.isInteger(cfg.maxChars) || cfg.maxChars < 1) throw new Error('featurizer maxChars must be a positive integer');
  return cfg;
}
