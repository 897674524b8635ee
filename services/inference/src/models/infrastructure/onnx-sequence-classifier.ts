import { InferenceSession, Tensor } from 'onnxruntime-node';
import { SequenceClassifierManifest } from '../domain/model-manifest';
import { softmax } from '@livepromo/ml';
import { WordPieceTokenizer } from '../domain/wordpiece-tokenizer';
import { ClassProbabilities } from './onnx-text-classifier';

/**
 * A bring-your-own transformer sequence classifier (e.g. BERT fine-tuned for classification,
 * exported to ONNX with inputs input_ids / attention_mask / token_type_ids as int64 [N, L] and
 * output logits [N, classes]). Inputs the graph does not declare are not fed.
 */
export class OnnxSequenceClassifier {
  private constructor(
    readonly manifest: SequenceClassifierManifest,
    private readonly session: InferenceSession,
    private readonly tokenizer: WordPieceTokenizer,
  ) {}

  static async load(onnx: Uint8Array, manifest: SequenceClassifierManifest, opts: { intraOpThreads?: number } = {}): Promise<OnnxSequenceClassifier> {
    const tokenizer = new WordPieceTokenizer(manifest.tokenizer);
    const session = await InferenceSession.create(onnx, { intraOpNumThreads: opts.intraOpThreads ?? 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    const sig = manifest.signature;
    if (!session.inputNames.includes(sig.inputIds) || !session.outputNames.includes(sig.output)) {
      await session.release();
      throw new Error(`ONNX graph does not match model.json: expected input ${sig.inputIds} and output ${sig.output}, got [${session.inputNames.join(',')}] → [${session.outputNames.join(',')}]`);
    }
    return new OnnxSequenceClassifier(manifest, session, tokenizer);
  }

  async classify(texts: readonly string[]): Promise<ClassProbabilities[]> {
    if (texts.length === 0) return [];
    const b = this.tokenizer.encode(texts);
    const sig = this.manifest.signature;
    const dims = [b.n, b.length];
    const feeds: Record<string, Tensor> = { [sig.inputIds]: new Tensor('int64', b.inputIds, dims) };
    if (this.session.inputNames.includes(sig.attentionMask)) feeds[sig.attentionMask] = new Tensor('int64', b.attentionMask, dims);
    if (this.session.inputNames.includes(sig.tokenTypeIds)) feeds[sig.tokenTypeIds] = new Tensor('int64', b.tokenTypeIds, dims);
    const out = await this.session.run(feeds);
    const data = out[sig.output].data as Float32Array;
    const k = this.manifest.labels.length;
    if (data.length !== b.n * k) throw new Error(`model output has ${data.length} values for ${b.n} texts and ${k} labels`);
    return texts.map((_, i) => {
      const row = data.slice(i * k, (i + 1) * k);
      return sig.outputKind === 'logits' ? Float32Array.from(softmax(row)) : row;
    });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
