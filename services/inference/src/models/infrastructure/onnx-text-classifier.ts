import { InferenceSession, Tensor } from 'onnxruntime-node';
import { featurize, toDense } from '../domain/text-features';
import { TextClassifierManifest } from '../domain/model-manifest';

/** Probabilities of one text, in the model's label order. */
export type ClassProbabilities = Float32Array;

/**
 * A text classifier served by onnxruntime-node: the manifest's featurizer builds the
 * [N, dim] input tensor in TypeScript (the same code training used), ONNX does the rest.
 */
export class OnnxTextClassifier {
  private constructor(
    readonly manifest: TextClassifierManifest,
    private readonly session: InferenceSession,
  ) {}

  static async load(onnx: Uint8Array, manifest: TextClassifierManifest, opts: { intraOpThreads?: number } = {}): Promise<OnnxTextClassifier> {
    const session = await InferenceSession.create(onnx, {
      intraOpNumThreads: opts.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const input = manifest.signature.input.name;
    const output = manifest.signature.output.name;
    if (!session.inputNames.includes(input) || !session.outputNames.includes(output)) {
      await session.release();
      throw new Error(`ONNX graph does not match model.json: expected input ${input} and output ${output}, got [${session.inputNames.join(',')}] → [${session.outputNames.join(',')}]`);
    }
    return new OnnxTextClassifier(manifest, session);
  }

  /** Runs one inference call over all texts (the batcher decides how many). */
  async classify(texts: readonly string[]): Promise<ClassProbabilities[]> {
    if (texts.length === 0) return [];
    const { dim } = this.manifest.featurizer;
    const dense = toDense(
      texts.map((t) => featurize(t, this.manifest.featurizer)),
      dim,
    );
    const feeds = { [this.manifest.signature.input.name]: new Tensor('float32', dense, [texts.length, dim]) };
    const out = await this.session.run(feeds);
    const probs = out[this.manifest.signature.output.name].data as Float32Array;
    const k = this.manifest.labels.length;
    return texts.map((_, i) => probs.slice(i * k, (i + 1) * k));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
