/**
 * A minimal protocol-buffers writer and the ONNX messages the exporter needs
 * (field numbers from onnx/onnx.proto3, IR version 8). No dependency: the wire format is
 * varints (wire type 0), little-endian fixed32 (wire type 5) and length-delimited bytes (wire type 2).
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** TensorProto.DataType.FLOAT */
export const ONNX_FLOAT = 1;
/** TensorProto.DataType.INT64 */
export const ONNX_INT64 = 7;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** row-major; float32 or int64 */
  data: Float32Array | BigInt64Array;
}

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: { name: string; int?: number; float?: number }[];
}

export interface OnnxValueInfo {
  name: string;
  /** a number is a fixed dim, a string a symbolic one (e.g. "N") */
  shape: (number | string)[];
  /** default float32 */
  elemType?: 'float32' | 'int64';
}

export interface OnnxModelSpec {
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

function tensorProto(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d); // dims (unpacked repeated int64 is accepted by every parser)
  const isInt64 = t.data instanceof BigInt64Array;
  w.int(2, isInt64 ? ONNX_INT64 : ONNX_FLOAT); // data_type
  w.string(8, t.name); // name
  const width = isInt64 ? 8 : 4;
  const raw = new Uint8Array(t.data.length * width);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.data.length; i++) {
    if (t.data instanceof BigInt64Array) view.setBigInt64(i * 8, t.data[i], true);
    else view.setFloat32(i * 4, t.data[i], true);
  }
  w.bytes(9, raw); // raw_data, little-endian
}

function valueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType === 'int64' ? ONNX_INT64 : ONNX_FLOAT); // elem_type
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** Serialises an ONNX ModelProto (IR version 8, default domain at the given opset). */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version
  w.string(2, spec.producerName);
  w.string(3, spec.producerVersion);
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) => {
    for (const n of spec.nodes) {
      g.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, n.name);
        node.string(4, n.opType);
        for (const a of n.attributes ?? []) {
          node.message(5, (attr) => {
            attr.string(1, a.name);
            if (a.float !== undefined) attr.float(2, a.float).int(20, ATTR_FLOAT);
            else attr.int(3, a.int ?? 0).int(20, ATTR_INT);
          });
        }
      });
    }
    g.string(2, spec.graphName);
    for (const t of spec.initializers) g.message(5, (tw) => tensorProto(tw, t));
    for (const i of spec.inputs) g.message(11, (vw) => valueInfo(vw, i));
    for (const o of spec.outputs) g.message(12, (vw) => valueInfo(vw, o));
  });
  w.message(8, (op) => op.string(1, '').int(2, spec.opsetVersion)); // opset_import
  for (const [key, value] of Object.entries(spec.metadata ?? {})) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}
