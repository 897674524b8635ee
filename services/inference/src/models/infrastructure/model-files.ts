import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MODEL_TASKS, ModelManifest, modelManifestSchema, ModelTask, SequenceClassifierManifest } from '../domain/model-manifest';

export const ONNX_FILE = 'model.onnx';
export const MANIFEST_FILE = 'model.json';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes model.onnx + model.json into <root>/<name>/<n>/ where n is one more than the largest
 * numbered folder already there. Returns the folder.
 */
export async function writeModelFolder(root: string, manifest: ModelManifest, onnx: Uint8Array): Promise<string> {
  const base = join(root, manifest.name);
  await mkdir(base, { recursive: true });
  const taken = (await readdir(base)).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const dir = join(base, String(Math.max(0, ...taken) + 1));
  await mkdir(dir);
  await writeFile(join(dir, ONNX_FILE), onnx);
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

export interface ModelFolder {
  path: string;
  manifest: ModelManifest;
  onnx: Uint8Array;
}

/** Hugging Face export files that make a folder a bring-your-own sequence classifier. */
export const HF_CONFIG_FILE = 'config.json';
export const HF_VOCAB_FILE = 'vocab.txt';
export const HF_TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
/** Optional livepromo settings beside a Hugging Face export: { name?, task?, labelMap?, maxLength? }. */
export const HF_LIVEPROMO_FILE = 'livepromo.json';

/** A special token from tokenizer_config.json: a string, or an AddedToken object with `content`. */
function tokenOf(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return fallback;
}

async function readJsonIfExists(path: string): Promise<Record<string, unknown>> {
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>) : {};
}

/**
 * A folder exported from a transformer (model.onnx, config.json with id2label, vocab.txt,
 * optional tokenizer_config.json and livepromo.json) as a sequence-classifier manifest.
 */
export async function readHuggingFaceFolder(dir: string): Promise<ModelFolder> {
  const config = await readJsonIfExists(join(dir, HF_CONFIG_FILE));
  const tokCfg = await readJsonIfExists(join(dir, HF_TOKENIZER_CONFIG_FILE));
  const lp = await readJsonIfExists(join(dir, HF_LIVEPROMO_FILE));
  const id2label = (config.id2label ?? {}) as Record<string, string>;
  const labels = Object.keys(id2label)
    .map(Number)
    .sort((a, b) => a - b)
    .map((i) => String(id2label[String(i)]));
  if (labels.length < 2) throw new Error(`${join(dir, HF_CONFIG_FILE)}: id2label must name at least 2 classes`);
  const vocab = (await readFile(join(dir, HF_VOCAB_FILE), 'utf8')).split(/\r?\n/);
  if (vocab[vocab.length - 1] === '') vocab.pop();
  const task = (typeof lp.task === 'string' ? lp.task : 'text-classification') as ModelTask;
  if (!MODEL_TASKS.includes(task)) throw new Error(`${join(dir, HF_LIVEPROMO_FILE)}: task must be one of ${MODEL_TASKS.join(', ')}`);
  const fallbackName = basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const maxLength = Number(lp.maxLength ?? tokCfg.model_max_length ?? config.max_position_embeddings ?? 128);
  const manifest: SequenceClassifierManifest = {
    format: 'livepromo-sequence-classifier',
    formatVersion: 1,
    name: typeof lp.name === 'string' ? lp.name : fallbackName || 'sequence-classifier',
    task,
    labels,
    labelMap: (lp.labelMap as Record<string, string> | undefined) ?? undefined,
    tokenizer: {
      kind: 'wordpiece',
      vocab,
      lowercase: tokCfg.do_lower_case === undefined ? true : Boolean(tokCfg.do_lower_case),
      maxLength: Math.min(Number.isFinite(maxLength) ? maxLength : 128, 512),
      unkToken: tokenOf(tokCfg.unk_token, '[UNK]'),
      clsToken: tokenOf(tokCfg.cls_token, '[CLS]'),
      sepToken: tokenOf(tokCfg.sep_token, '[SEP]'),
      padToken: tokenOf(tokCfg.pad_token, '[PAD]'),
      maxCharsPerWord: 100,
    },
    signature: { inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: 'token_type_ids', output: 'logits', outputKind: 'logits' },
    metrics: null,
    provenance: `bring-your-own transformer export imported from ${basename(dir)}`,
    trainedAt: new Date().toISOString(),
  };
  const parsed = modelManifestSchema.safeParse(manifest);
  if (!parsed.success) throw new Error(`${dir}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { path: dir, manifest: parsed.data, onnx: new Uint8Array(await readFile(join(dir, ONNX_FILE))) };
}

/** Reads one folder holding model.onnx + model.json (or a Hugging Face export); the error names the file and the problem. */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  if (!existsSync(join(dir, MANIFEST_FILE)) && existsSync(join(dir, HF_CONFIG_FILE))) return readHuggingFaceFolder(dir);
  const raw = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as unknown;
  const parsed = modelManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${join(dir, MANIFEST_FILE)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { path: dir, manifest: parsed.data, onnx: new Uint8Array(await readFile(join(dir, ONNX_FILE))) };
}

/** Every <root>/<name>/<version>/ (or <root>/<folder>/) holding both files; missing root → none. */
export async function findModelFolders(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const hf = existsSync(join(dir, HF_CONFIG_FILE)) && existsSync(join(dir, HF_VOCAB_FILE));
    if ((existsSync(join(dir, MANIFEST_FILE)) || hf) && existsSync(join(dir, ONNX_FILE))) {
      out.push(dir);
      return;
    }
    if (depth >= 2) return;
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await visit(join(dir, e.name), depth + 1);
  };
  await visit(root, 0);
  return out.sort();
}
