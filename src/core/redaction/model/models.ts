// The detection models: graph models shipped inside the @vladmandic/human npm package (weights in its tarball,
// MIT licence), read from node_modules, checked against their manifest, converted to ONNX in memory and run by
// ONNX Runtime on the CPU. Nothing is fetched at install or run time.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ToezichtError } from '../../errors.js';
import type { TfGraphModel } from './tfjs-to-onnx.js';

const require = createRequire(import.meta.url);

export const MODEL_PACKAGE = '@vladmandic/human';

export interface ModelInfo {
  /** Model name inside the package, e.g. blazeface. */
  name: string;
  /** What it is, for manifests and docs. */
  description: string;
  package: string;
  packageVersion: string;
  licence: string;
  /** sha256 of the weight file, so a plan names exactly the weights that made it. */
  sha256: string;
}

export interface LoadedModel {
  info: ModelInfo;
  graph: TfGraphModel;
  weights: Uint8Array;
  /** Spatial input size in the model's signature. */
  nativeInput: { height: number; width: number };
}

const DESCRIPTIONS: Record<string, string> = {
  blazeface: 'BlazeFace (MediaPipe, back-camera variant, 256x256) face detector, run fully convolutional on the whole frame',
  centernet: 'CenterNet with a MobileNetV3 backbone (COCO objects; the person class is used)',
};

function packageRoot(): string {
  let entry: string;
  try {
    entry = require.resolve(MODEL_PACKAGE);
  } catch {
    throw new ToezichtError('redaction.model-missing', `The detection models (${MODEL_PACKAGE}) are not installed; run npm ci in the toezicht folder.`);
  }
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const cache = new Map<string, LoadedModel>();

/** Loads a model's graph and weights from the installed package. */
export function loadModel(name: 'blazeface' | 'centernet'): LoadedModel {
  const hit = cache.get(name);
  if (hit) return hit;
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; license?: string };
  const jsonFile = path.join(root, 'models', `${name}.json`);
  if (!existsSync(jsonFile)) {
    throw new ToezichtError('redaction.model-missing', `The model ${name} is missing from ${MODEL_PACKAGE} ${pkg.version}; run npm ci in the toezicht folder.`);
  }
  const graph = JSON.parse(readFileSync(jsonFile, 'utf8')) as TfGraphModel & {
    signature?: unknown;
    userDefinedMetadata?: unknown;
  };
  const parts = graph.weightsManifest.flatMap((g) => g.paths).map((p) => readFileSync(path.join(root, 'models', p)));
  const weights = new Uint8Array(Buffer.concat(parts));
  const placeholder = graph.modelTopology.node.find((n) => n.op === 'Placeholder');
  const dims = (placeholder?.attr as { shape?: { shape?: { dim?: { size: string }[] } } } | undefined)?.shape?.shape?.dim?.map((d) => Number(d.size)) ?? [];
  const loaded: LoadedModel = {
    info: {
      name,
      description: DESCRIPTIONS[name] ?? name,
      package: MODEL_PACKAGE,
      packageVersion: pkg.version,
      licence: pkg.license ?? 'unknown',
      sha256: createHash('sha256').update(weights).digest('hex'),
    },
    graph,
    weights,
    nativeInput: { height: dims[1] ?? 256, width: dims[2] ?? 256 },
  };
  cache.set(name, loaded);
  return loaded;
}
