import { InferenceSession, Tensor } from 'onnxruntime-node';
import { TabularClassifierManifest } from '../domain/model-manifest';
import { ClassProbabilities } from './onnx-text-classifier';

/** Named numeric features (e.g. activity counts). */
export type FeatureRow = Readonly<Record<string, number>>;

/** A tabular classifier (purchase propensity) served by onnxruntime-node. */
export class OnnxTabularClassifier {
  private constructor(
    readonly manifest: TabularClassifierManifest,
    private readonly session: InferenceSession,
  ) {}

  static async load(onnx: Uint8Array, manifest: TabularClassifierManifest, opts: { intraOpThreads?: number } = {}): Promise<OnnxTabularClassifier> {
    const session = await InferenceSession.create(onnx, { intraOpNumThreads: opts.intraOpThreads ?? 1, interOpNumThreads: 1 });
    if (!session.inputNames.includes(manifest.signature.input.name) || !session.outputNames.includes(manifest.signature.output.name)) {
      await session.release();
      throw new Error(`ONNX graph does not match model.json: expected input ${manifest.signature.input.name} and output ${manifest.signature.output.name}`);
    }
    return new OnnxTabularClassifier(manifest, session);
  }

  /** log(1 + max(0, value)) of each declared feature, in declared order; missing features are 0. */
  vector(row: FeatureRow): number[] {
    return this.manifest.features.names.map((f) => Math.log1p(Math.max(0, Number(row[f] ?? 0))));
  }

  async classify(rows: readonly FeatureRow[]): Promise<ClassProbabilities[]> {
    if (rows.length === 0) return [];
    const d = this.manifest.features.names.length;
    const x = new Float32Array(rows.length * d);
    rows.forEach((r, i) => x.set(this.vector(r), i * d));
    const out = await this.session.run({ [this.manifest.signature.input.name]: new Tensor('float32', x, [rows.length, d]) });
    const probs = out[this.manifest.signature.output.name].data as Float32Array;
    const k = this.manifest.labels.length;
    return rows.map((_, i) => probs.slice(i * k, (i + 1) * k));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
