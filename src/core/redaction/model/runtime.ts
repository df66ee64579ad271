// ONNX Runtime (onnxruntime-node, CPU execution provider) sessions for converted models, one per input size.
import { createRequire } from 'node:module';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ToezichtError } from '../../errors.js';
import type { LoadedModel } from './models.js';
import { tfjsToOnnx } from './tfjs-to-onnx.js';

const require = createRequire(import.meta.url);
type Ort = typeof import('onnxruntime-node');

let ort: Ort | undefined;
function runtime(): Ort {
  if (!ort) {
    try {
      ort = require('onnxruntime-node') as Ort;
    } catch (error) {
      throw new ToezichtError('redaction.runtime-missing', 'ONNX Runtime (onnxruntime-node) could not be loaded; run npm ci in the toezicht folder.', { cause: error });
    }
  }
  return ort;
}

export function runtimeName(): string {
  try {
    const pkg = require('onnxruntime-node/package.json') as { version: string };
    return `onnxruntime-node ${pkg.version} (CPU)`;
  } catch {
    return 'onnxruntime-node (CPU)';
  }
}

export interface ModelSession {
  run(input: Float32Array, height: number, width: number): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  release(): Promise<void>;
}

export interface SessionOptions {
  /** ONNX Runtime intra-op threads. One per session is the cheapest per frame; run sessions side by side instead. */
  threads: number;
  /** Pad inner channels to a multiple of this (see ConvertOptions.alignChannels); 16 suits AVX2 and AVX-512. */
  alignChannels?: number;
}

/**
 * Opens a session that runs `model` on inputs of one size ('any': of every size; ONNX Runtime plans a fixed size
 * better, so whole frames get their own session) and returns the named outputs.
 */
export async function openSession(model: LoadedModel, size: { height: number; width: number } | 'any', outputs: string[], options: SessionOptions): Promise<ModelSession> {
  const o = runtime();
  const { threads } = options;
  const bytes = tfjsToOnnx(model.graph, model.weights, {
    input: size,
    nativeInput: model.nativeInput,
    outputs,
    ...(options.alignChannels ? { alignChannels: options.alignChannels } : {}),
  });
  let session: InferenceSession;
  try {
    session = await o.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      // Several threads would otherwise spin between parallel sections, taking the CPU the decoder, the encoder
      // and the other detection workers need.
      ...(threads > 1 ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
      logSeverityLevel: 3,
    });
  } catch (error) {
    throw new ToezichtError('redaction.model-load', `The ${model.info.name} model could not be prepared for ONNX Runtime (${(error as Error).message.split('\n')[0]}); reinstall with npm ci.`, { cause: error });
  }
  return {
    async run(input, height, width) {
      const tensor = new o.Tensor('float32', input.length === 3 * height * width ? input : input.subarray(0, 3 * height * width), [1, 3, height, width]);
      const result = await session.run({ input: tensor });
      const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      for (const name of outputs) {
        const t = result[name] as Tensor | undefined;
        if (!t) throw new ToezichtError('redaction.model-output', `The ${model.info.name} model gave no output ${name}.`);
        out[name] = { data: t.data as Float32Array, dims: t.dims };
      }
      return out;
    },
    async release() {
      await session.release();
    },
  };
}
