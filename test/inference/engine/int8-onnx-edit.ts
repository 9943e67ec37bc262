/**
 * Just enough of the protobuf wire format to break an int8 ONNX file the way a bad export would
 * (a scale initializer missing, a weight of the wrong type), so the tests need no Python.
 * ModelProto.graph = field 7; GraphProto.initializer = 5; TensorProto: data_type = 2, name = 8, raw_data = 9.
 */
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
export const ONNX_FLOAT = 1;
export const ONNX_INT8 = 3;

interface Field {
  number: number;
  wireType: number;
  /** The whole field: tag, length prefix and value. */
  raw: Uint8Array;
  /** Varint value, or the payload of a length-delimited field. */
  value: number | Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos];
    scale *= 128;
  }
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return Uint8Array.from(out);
}

function parse(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    let value: number | Uint8Array;
    if (wireType === 0) {
      [value, pos] = readVarint(buf, afterTag);
    } else if (wireType === 2) {
      const [length, afterLength] = readVarint(buf, afterTag);
      value = buf.subarray(afterLength, afterLength + length);
      pos = afterLength + length;
    } else if (wireType === 1 || wireType === 5) {
      pos = afterTag + (wireType === 1 ? 8 : 4);
      value = buf.subarray(afterTag, pos);
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
    fields.push({ number, wireType, raw: buf.subarray(start, pos), value });
  }
  return fields;
}

const lengthDelimited = (number: number, payload: Uint8Array): Uint8Array => Buffer.concat([varint(number * 8 + 2), varint(payload.length), payload]);
const varintField = (number: number, value: number): Uint8Array => Buffer.concat([varint(number * 8), varint(value)]);

export interface InitializerInfo {
  name: string;
  dataType: number;
}

function tensorInfo(tensor: Uint8Array): InitializerInfo {
  const fields = parse(tensor);
  const name = fields.find((f) => f.number === TENSOR_NAME)?.value;
  const dataType = fields.find((f) => f.number === TENSOR_DATA_TYPE)?.value;
  return { name: Buffer.from(name as Uint8Array).toString('utf8'), dataType: dataType as number };
}

/** The initializers of the model's main graph (where the fixture keeps every weight). */
export function initializers(model: Uint8Array): InitializerInfo[] {
  const graph = parse(model).find((f) => f.number === MODEL_GRAPH)!.value as Uint8Array;
  return parse(graph)
    .filter((f) => f.number === GRAPH_INITIALIZER)
    .map((f) => tensorInfo(f.value as Uint8Array));
}

/** Rebuilds the model with each initializer replaced by `edit(tensor)` (null drops it). */
function editInitializers(model: Uint8Array, edit: (tensor: Uint8Array, info: InitializerInfo) => Uint8Array | null): Buffer {
  const parts = parse(model).map((f) => {
    if (f.number !== MODEL_GRAPH) return f.raw;
    const graph = parse(f.value as Uint8Array).flatMap((g) => {
      if (g.number !== GRAPH_INITIALIZER) return [g.raw];
      const tensor = g.value as Uint8Array;
      const edited = edit(tensor, tensorInfo(tensor));
      if (edited === null) return [];
      return [edited === tensor ? g.raw : lengthDelimited(GRAPH_INITIALIZER, edited)];
    });
    return lengthDelimited(MODEL_GRAPH, Buffer.concat(graph));
  });
  return Buffer.concat(parts);
}

/** The model without the named initializer (e.g. a weight's scales). */
export function dropInitializer(model: Uint8Array, name: string): Buffer {
  return editInitializers(model, (tensor, info) => (info.name === name ? null : tensor));
}

/** The model with the named int8 initializer stored as float32 of the same values (an unquantized weight). */
export function int8InitializerAsFloat(model: Uint8Array, name: string): Buffer {
  return editInitializers(model, (tensor, info) => {
    if (info.name !== name) return tensor;
    if (info.dataType !== ONNX_INT8) throw new Error(`${name} is not int8`);
    const fields = parse(tensor);
    const raw = fields.find((f) => f.number === TENSOR_RAW_DATA)!.value as Uint8Array;
    const values = Float32Array.from(new Int8Array(raw.buffer, raw.byteOffset, raw.length));
    const kept = fields.filter((f) => f.number !== TENSOR_DATA_TYPE && f.number !== TENSOR_RAW_DATA).map((f) => f.raw);
    return Buffer.concat([...kept, varintField(TENSOR_DATA_TYPE, ONNX_FLOAT), lengthDelimited(TENSOR_RAW_DATA, new Uint8Array(values.buffer))]);
  });
}
