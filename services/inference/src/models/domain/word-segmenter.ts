import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/**
 * Chinese word segmentation by @node-rs/jieba (a Rust port of jieba; its native binary ships in the
 * npm package, nothing is downloaded) with the bundled default dictionary, exact mode with HMM.
 * Loaded once per process on first use (~0.2 s); training and serving call the same function.
 */
let instance: Jieba | undefined;

export function jiebaSegmenter(): (text: string) => string[] {
  instance ??= Jieba.withDict(dict);
  const j = instance;
  return (text) => j.cut(text, true);
}

/** Version of the segmenter package, recorded in model.json so a change of tokenisation is visible. */
export function jiebaVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@node-rs/jieba/package.json') as { version: string }).version;
}
