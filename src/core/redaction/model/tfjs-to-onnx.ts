// Converts a TensorFlow.js graph model (model.json + weights, as shipped in an npm package) into an ONNX model in
// memory, so that ONNX Runtime's CPU kernels run it: several times faster here than TensorFlow.js on WebAssembly.
// Only the operations of the convolutional detectors we ship are mapped (conv, depthwise conv, pooling, padding,
// element-wise arithmetic, activations, mean, concat, bilinear upsampling); anything else is refused by name, so a
// changed model fails loudly at load time instead of detecting wrongly. Tensors are laid out NCHW in the ONNX graph;
// the caller feeds NCHW input and reads the chosen outputs (the detection heads) NCHW.
import { ToezichtError } from '../../errors.js';
import { Message } from './protobuf.js';

interface TfAttr {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  list?: { i?: string[]; s?: string[]; f?: number[] };
  type?: string;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; scale?: number; min?: number };
}

export interface TfGraphModel {
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[];
}

interface Constant {
  shape: number[];
  data: Float32Array | Int32Array;
}

interface Tensor {
  name: string;
  stride: number;
  /** Channels with meaning, and channels present (the rest zeros) when aligned. */
  channels: number;
  carried: number;
}

/** Reads the weights of a graph model from its concatenated weight files. */
export function decodeWeights(model: TfGraphModel, data: Uint8Array): Map<string, Constant> {
  const out = new Map<string, Constant>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const group of model.weightsManifest) {
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const q = spec.quantization;
      if (q) {
        const values = new Float32Array(count);
        if (q.dtype === 'float16') {
          for (let i = 0; i < count; i++) values[i] = half(view.getUint16(offset + i * 2, true));
          offset += count * 2;
        } else {
          const bytes = q.dtype === 'uint8' ? 1 : 2;
          for (let i = 0; i < count; i++) {
            const raw = bytes === 1 ? view.getUint8(offset + i) : view.getUint16(offset + i * 2, true);
            values[i] = raw * (q.scale ?? 1) + (q.min ?? 0);
          }
          offset += count * bytes;
        }
        out.set(spec.name, { shape: spec.shape, data: spec.dtype === 'int32' ? Int32Array.from(values, Math.round) : values });
      } else if (spec.dtype === 'float32') {
        out.set(spec.name, { shape: spec.shape, data: new Float32Array(data.slice(offset, offset + count * 4).buffer) });
        offset += count * 4;
      } else if (spec.dtype === 'int32') {
        out.set(spec.name, { shape: spec.shape, data: new Int32Array(data.slice(offset, offset + count * 4).buffer) });
        offset += count * 4;
      } else {
        throw unsupported(`weight dtype ${String(spec.dtype)} of ${spec.name}`);
      }
    }
  }
  if (offset !== data.byteLength) {
    throw new ToezichtError('redaction.model-corrupt', `The model's weight file has ${data.byteLength} bytes where its manifest describes ${offset}; reinstall the package (npm ci).`);
  }
  return out;
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function unsupported(what: string): ToezichtError {
  return new ToezichtError('redaction.model-unsupported', `The detection model uses ${what}, which toezicht cannot run; reinstall the pinned model package (npm ci).`);
}

const decode = (s: string | undefined): string => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));

// ONNX data types.
const FLOAT = 1;
const INT64 = 7;

function tensorProto(name: string, dims: number[], values: Float32Array | BigInt64Array): Message {
  const m = new Message().ints(1, dims).int(2, values instanceof Float32Array ? FLOAT : INT64).string(8, name);
  return m.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

type AttrValue = number | string | number[] | { floats: number[] };

function attribute(name: string, value: AttrValue): Message {
  const m = new Message().string(1, name);
  if (typeof value === 'string') return m.bytes(4, new TextEncoder().encode(value)).int(20, 3);
  if (Array.isArray(value)) return m.ints(8, value).int(20, 7);
  if (typeof value === 'object') {
    for (const f of value.floats) m.float(7, f);
    return m.int(20, 6);
  }
  return Number.isInteger(value) ? m.int(3, value).int(20, 2) : m.float(2, value).int(20, 1);
}

/** A tensor's type and shape; a string dimension is a named, free one (any size at run time). */
function valueInfo(name: string, dims: (number | string)[]): Message {
  const shape = new Message();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  const tensor = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensor));
}

export interface ConvertOptions {
  /** NCHW input size fed to the model; 'any': height and width are free (one session for every size). */
  input: { height: number; width: number } | 'any';
  /** The spatial size the model was built for (its signature), to scale fixed upsampling sizes. */
  nativeInput: { height: number; width: number };
  /** Names of tfjs nodes to expose as outputs (NCHW). The graph after them is dropped. */
  outputs: string[];
  /**
   * Pad every inner tensor's channels with zeros up to a multiple of this (e.g. 16). ONNX Runtime keeps a
   * convolutional network in its blocked (NCHWc) layout, and fuses the residual Add and Relu into the convolution,
   * only when channel counts are multiples of its block size; BlazeFace's 24-channel layers otherwise convert back
   * and forth around every residual connection. The zero channels stay zero (zero weights, zero bias, ReLU(0) = 0)
   * and the outputs keep their own channel counts, so the results are the same.
   */
  alignChannels?: number;
}

/** Builds ONNX model bytes from a tfjs graph model and its weights. */
export function tfjsToOnnx(model: TfGraphModel, weightData: Uint8Array, options: ConvertOptions): Uint8Array {
  const weights = decodeWeights(model, weightData);
  const byName = new Map(model.modelTopology.node.map((n) => [n.name, n]));
  const nodes: Message[] = [];
  const initializers: Message[] = [];
  /**
   * tfjs tensor name → ONNX name, its stride relative to the input (for upsampling), its channels and the channels
   * it carries after alignment (equal without alignChannels).
   */
  const emitted = new Map<string, Tensor>();
  const align = options.alignChannels ?? 1;
  const aligned = (c: number) => Math.ceil(c / align) * align;
  const wanted = new Set(options.outputs.map((o) => o.split(':')[0]!));
  let counter = 0;
  const fresh = (base: string) => `${base}__${counter++}`;

  const constOf = (ref: string): Constant => {
    const name = ref.split(':')[0]!;
    const w = weights.get(name);
    if (w) return w;
    const node = byName.get(name);
    throw unsupported(`a computed value (${node?.op ?? 'missing'} ${name}) where a constant was expected`);
  };
  const floatInit = (data: Float32Array, dims: number[]): string => {
    const name = fresh('const');
    initializers.push(tensorProto(name, dims, data));
    return name;
  };
  const intInit = (values: number[]): string => {
    const name = fresh('const');
    initializers.push(tensorProto(name, [values.length], BigInt64Array.from(values.map((v) => BigInt(v)))));
    return name;
  };
  const node = (op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputName = fresh(op)): string => {
    const m = new Message();
    for (const i of inputs) m.string(1, i);
    m.string(2, outputName).string(3, outputName).string(4, op);
    for (const [k, v] of Object.entries(attrs)) m.message(5, attribute(k, v));
    nodes.push(m);
    return outputName;
  };

  /**
   * A constant operand of element-wise ops: NHWC broadcasting of [C] becomes [1,C',1,1], the aligned channels filled
   * with `fill` (a finite value: a NaN in an aligned channel would reach real ones through 0 × NaN in a convolution).
   */
  const broadcastConst = (c: Constant, carried: number, fill = 0): string => {
    const data = c.data instanceof Float32Array ? c.data : Float32Array.from(c.data);
    const dims = c.shape;
    if (dims.length === 0 || data.length === 1) return floatInit(Float32Array.of(data[0]!), []);
    const channels = dims[dims.length - 1]!;
    if (data.length !== channels) throw unsupported(`a constant of shape [${dims.join(',')}] in element-wise arithmetic`);
    const padded = new Float32Array(Math.max(channels, carried)).fill(fill);
    padded.set(data);
    return floatInit(padded, [1, padded.length, 1, 1]);
  };

  /**
   * tfjs filter [kh, kw, in, out] → ONNX [out, in, kh, kw]; depthwise [kh, kw, in, mult] → [in*mult, 1, kh, kw].
   * `inCarried` input channels are present (aligned: zero weights for the extra ones); `outCarried` are produced.
   */
  const filterInit = (c: Constant, depthwise: boolean, inCarried: number, outCarried: (real: number) => number): { name: string; out: number; carried: number; kh: number; kw: number; groups: number } => {
    const [kh, kw, cin, cout] = c.shape as [number, number, number, number];
    const src = c.data as Float32Array;
    const out = depthwise ? cin * cout : cout;
    if (depthwise && cout !== 1 && inCarried !== cin) throw unsupported('a depthwise convolution with a channel multiplier on aligned channels');
    const carried = depthwise ? (cout === 1 ? inCarried : out) : outCarried(out);
    const inPer = depthwise ? 1 : inCarried;
    const dst = new Float32Array(carried * inPer * kh * kw);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) {
            const from = ((y * kw + x) * cin + i) * cout + o;
            const oc = depthwise ? i * cout + o : o;
            const ic = depthwise ? 0 : i;
            dst[((oc * inPer + ic) * kh + y) * kw + x] = src[from]!;
          }
    return { name: floatInit(dst, [carried, inPer, kh, kw]), out, carried, kh, kw, groups: depthwise ? carried : 1 };
  };

  const padAttrs = (n: TfNode, kh: number, kw: number): Record<string, AttrValue> => {
    const padding = decode(n.attr?.padding?.s);
    if (padding === 'SAME') return { auto_pad: 'SAME_UPPER' };
    if (padding === 'VALID') return { auto_pad: 'VALID' };
    if (padding === 'EXPLICIT') {
      const p = (n.attr?.explicit_paddings?.list?.i ?? []).map(Number);
      return { pads: [p[2] ?? 0, p[4] ?? 0, p[3] ?? 0, p[5] ?? 0] };
    }
    throw unsupported(`padding ${padding} (kernel ${kh}x${kw})`);
  };
  const strides = (n: TfNode): number[] => {
    const s = (n.attr?.strides?.list?.i ?? ['1', '1', '1', '1']).map(Number);
    if (decode(n.attr?.data_format?.s || Buffer.from('NHWC').toString('base64')) !== 'NHWC') throw unsupported(`data format other than NHWC in ${n.name}`);
    return [s[1] ?? 1, s[2] ?? 1];
  };
  const dilations = (n: TfNode): number[] => {
    const d = (n.attr?.dilations?.list?.i ?? ['1', '1', '1', '1']).map(Number);
    return [d[1] ?? 1, d[2] ?? 1];
  };

  const activation = (x: string, op: string, extra: string | undefined, carried: number): string => {
    switch (op) {
      case 'Relu':
        return node('Relu', [x]);
      case 'Relu6':
        return node('Clip', [x, floatInit(Float32Array.of(0), []), floatInit(Float32Array.of(6), [])]);
      case 'Prelu': {
        if (!extra) throw unsupported('Prelu without its slope');
        return node('PRelu', [x, broadcastConst(constOf(extra), carried)]);
      }
      case 'Elu':
        return node('Elu', [x]);
      case 'Sigmoid':
        return node('Sigmoid', [x]);
      default:
        throw unsupported(`fused activation ${op}`);
    }
  };

  const convert = (ref: string): Tensor => {
    const key = ref.split(':')[0]!;
    const hit = emitted.get(key);
    if (hit) return hit;
    const n = byName.get(key);
    if (!n) throw unsupported(`a missing node ${key}`);
    const inputs = n.input ?? [];
    const arg = (i: number) => convert(inputs[i]!);
    let result: Tensor;
    switch (n.op) {
      case 'Placeholder':
        result = { name: 'input', stride: 1, channels: 3, carried: 3 };
        break;
      case 'Identity':
        result = arg(0);
        break;
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative': {
        const depthwise = n.op.includes('Depthwise');
        const x = arg(0);
        const f = filterInit(constOf(inputs[1]!), depthwise, x.carried, (c) => (wanted.has(key) ? c : aligned(c)));
        const fused = (n.attr?.fused_ops?.list?.s ?? []).map(decode);
        const convInputs = [x.name, f.name];
        if (fused[0] === 'BiasAdd') {
          const b = new Float32Array(f.carried);
          b.set(constOf(inputs[2]!).data as Float32Array);
          convInputs.push(floatInit(b, [f.carried]));
        } else if (fused.length > 0) {
          throw unsupported(`fused operations ${fused.join('+')} in ${n.name}`);
        }
        const [sh, sw] = strides(n);
        let y = node('Conv', convInputs, {
          kernel_shape: [f.kh, f.kw],
          strides: [sh!, sw!],
          dilations: dilations(n),
          group: f.groups,
          ...padAttrs(n, f.kh, f.kw),
        });
        for (const op of fused.slice(1)) y = activation(y, op, inputs[3], f.carried);
        result = { name: y, stride: x.stride * sh!, channels: f.out, carried: f.carried };
        break;
      }
      case 'MaxPool':
      case 'AvgPool': {
        const x = arg(0);
        const k = (n.attr?.ksize?.list?.i ?? []).map(Number);
        const [sh, sw] = strides(n);
        const y = node(n.op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [x.name], {
          kernel_shape: [k[1]!, k[2]!],
          strides: [sh!, sw!],
          ...padAttrs(n, k[1]!, k[2]!),
        });
        result = { ...x, name: y, stride: x.stride * sh! };
        break;
      }
      case 'Pad': {
        const x = arg(0);
        const p = Array.from(constOf(inputs[1]!).data, Number); // NHWC [[b0,b1],[h0,h1],[w0,w1],[c0,c1]]
        if (x.carried !== x.channels && p[6] !== 0) throw unsupported('channel padding in front of aligned channels');
        // Channels added at the end: the aligned zeros count towards them.
        const channels = x.channels + p[6]! + p[7]!;
        const carried = wanted.has(key) ? channels : aligned(channels);
        const after = carried - x.carried - p[6]!;
        if (after < 0) throw unsupported(`channel padding of ${n.name} shorter than the aligned channels`);
        const pads = [p[0]!, p[6]!, p[2]!, p[4]!, p[1]!, after, p[3]!, p[5]!];
        result = { name: node('Pad', [x.name, intInit(pads)], { mode: 'constant' }), stride: x.stride, channels, carried };
        break;
      }
      case 'Add':
      case 'AddV2':
      case 'Sub':
      case 'Mul':
      case 'RealDiv': {
        const onnxOp = { Add: 'Add', AddV2: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div' }[n.op]!;
        const operand = (i: number): Tensor | undefined => {
          const name = inputs[i]!.split(':')[0]!;
          return weights.has(name) ? undefined : convert(name);
        };
        const a = operand(0);
        const b = operand(1);
        const t = (a ?? b)!;
        if (a && b && a.carried !== b.carried) throw unsupported(`${n.op} of tensors with ${a.channels} and ${b.channels} channels`);
        if (onnxOp === 'Div' && b && b.carried !== b.channels) throw unsupported(`${n.op} by a tensor with aligned channels`);
        const an = a ? a.name : broadcastConst(constOf(inputs[0]!), t.carried);
        const bn = b ? b.name : broadcastConst(constOf(inputs[1]!), t.carried, onnxOp === 'Div' ? 1 : 0);
        result = { ...t, name: node(onnxOp, [an, bn]) };
        break;
      }
      case 'Relu':
      case 'Relu6':
      case 'Sigmoid':
      case 'Elu': {
        const x = arg(0);
        result = { ...x, name: activation(x.name, n.op, undefined, x.carried) };
        break;
      }
      case 'Mean': {
        const x = arg(0);
        const axes = Array.from(constOf(inputs[1]!).data, Number);
        if (axes.join(',') !== '1,2') throw unsupported(`Mean over axes ${axes.join(',')}`);
        result = { ...x, name: node('ReduceMean', [x.name], { axes: [2, 3], keepdims: n.attr?.keep_dims?.b ? 1 : 0 }) };
        break;
      }
      case 'ConcatV2': {
        const parts = inputs.slice(0, -1).map((i) => convert(i));
        if (parts.some((p) => p.carried !== p.channels)) throw unsupported('ConcatV2 of aligned channels');
        const axis = Number(constOf(inputs[inputs.length - 1]!).data[0]);
        if (axis !== 3 && axis !== -1) throw unsupported(`ConcatV2 on axis ${axis}`);
        const channels = parts.reduce((sum, p) => sum + p.channels, 0);
        result = { name: node('Concat', parts.map((p) => p.name), { axis: 1 }), stride: Math.min(...parts.map((p) => p.stride)), channels, carried: channels };
        break;
      }
      case 'ResizeBilinear':
      case 'ResizeNearestNeighbor': {
        const x = arg(0);
        const size = Array.from(constOf(inputs[1]!).data, Number);
        // The fixed size was computed for the native input: keep its factor, not its size.
        const factor = size[0]! / (options.nativeInput.height / x.stride);
        if (!(factor >= 1 && Number.isInteger(factor))) throw unsupported(`${n.op} by a factor of ${factor}`);
        const halfPixel = Boolean(n.attr?.half_pixel_centers?.b);
        const alignCorners = Boolean(n.attr?.align_corners?.b);
        if (alignCorners) throw unsupported(`${n.op} with align_corners`);
        const y = node('Resize', [x.name, '', floatInit(Float32Array.of(1, 1, factor, factor), [4])], {
          mode: n.op === 'ResizeBilinear' ? 'linear' : 'nearest',
          coordinate_transformation_mode: halfPixel ? 'half_pixel' : 'asymmetric',
          ...(n.op === 'ResizeNearestNeighbor' ? { nearest_mode: 'floor' } : {}),
        });
        result = { ...x, name: y, stride: x.stride / factor };
        break;
      }
      default:
        throw unsupported(`operation ${n.op} (${n.name})`);
    }
    emitted.set(key, result);
    return result;
  };

  const outputs = options.outputs.map((o) => {
    const r = convert(o);
    if (r.carried !== r.channels) throw unsupported(`output ${o} with aligned channels`);
    // Give the output a stable name the caller asks for.
    return node('Identity', [r.name], {}, o);
  });

  const graph = new Message();
  for (const n of nodes) graph.bytes(1, n.finish());
  graph.string(2, 'converted');
  for (const i of initializers) graph.message(5, i);
  graph.message(11, valueInfo('input', options.input === 'any' ? [1, 3, 'height', 'width'] : [1, 3, options.input.height, options.input.width]));
  for (const o of outputs) {
    // Element type only: the shape follows from the input.
    graph.message(12, new Message().string(1, o).message(2, new Message().message(1, new Message().int(1, FLOAT))));
  }
  return new Message()
    .int(1, 8)
    .string(2, 'toezicht')
    .message(7, graph)
    .message(8, new Message().string(1, '').int(2, 13))
    .finish();
}
