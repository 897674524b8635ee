import { ModelManifest } from '../domain/model-manifest';
import { OnnxSequenceClassifier } from './onnx-sequence-classifier';
import { FeatureRow, OnnxTabularClassifier } from './onnx-tabular-classifier';
import { ClassProbabilities, OnnxTextClassifier } from './onnx-text-classifier';

/** A text for text and sequence classifiers, named features for tabular ones. */
export type ModelInput = string | FeatureRow;

/** What serving needs from a loaded model of any kind. */
export interface ClassifierRuntime {
  readonly manifest: ModelManifest;
  classify(inputs: readonly ModelInput[]): Promise<ClassProbabilities[]>;
  release(): Promise<void>;
}

/** Whether a model takes texts (text and sequence classifiers) or feature rows (tabular). */
export function inputKindOf(manifest: ModelManifest): 'text' | 'features' {
  return manifest.format === 'livepromo-tabular-classifier' ? 'features' : 'text';
}

function texts(inputs: readonly ModelInput[], name: string): string[] {
  return inputs.map((i) => {
    if (typeof i !== 'string') throw new Error(`model ${name} classifies texts, not feature rows`);
    return i;
  });
}

function rows(inputs: readonly ModelInput[], name: string): FeatureRow[] {
  return inputs.map((i) => {
    if (typeof i === 'string') throw new Error(`model ${name} classifies feature rows, not texts`);
    return i;
  });
}

export async function loadClassifierRuntime(onnx: Uint8Array, manifest: ModelManifest, opts: { intraOpThreads?: number } = {}): Promise<ClassifierRuntime> {
  switch (manifest.format) {
    case 'livepromo-text-classifier': {
      const c = await OnnxTextClassifier.load(onnx, manifest, opts);
      return { manifest, classify: async (i) => c.classify(texts(i, manifest.name)), release: () => c.release() };
    }
    case 'livepromo-sequence-classifier': {
      const c = await OnnxSequenceClassifier.load(onnx, manifest, opts);
      return { manifest, classify: async (i) => c.classify(texts(i, manifest.name)), release: () => c.release() };
    }
    case 'livepromo-tabular-classifier': {
      const c = await OnnxTabularClassifier.load(onnx, manifest, opts);
      return { manifest, classify: async (i) => c.classify(rows(i, manifest.name)), release: () => c.release() };
    }
  }
}
