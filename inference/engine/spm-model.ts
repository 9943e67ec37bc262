/**
 * A minimal reader of SentencePiece's ModelProto (protobuf), enough to count the pieces and their
 * types, which sentencepiece-js does not expose. Throws on anything that is not a well-formed
 * protobuf message with at least one piece.
 */

export interface SpmModelInfo {
  /** Number of pieces (the SentencePiece vocabulary size). */
  pieceCount: number;
  /** Ids of the pieces of type UNKNOWN (2) and CONTROL (3): spm's <unk>, <s>, </s>. */
  unknownIds: number[];
  controlIds: number[];
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++]!;
    if (shift < 49) result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** Iterates the fields of one message: [fieldNumber, wireType, start, end] (start..end = payload). */
function* fields(buf: Uint8Array, start: number, end: number): Generator<[number, number, number, number]> {
  let pos = start;
  while (pos < end) {
    const [key, afterKey] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 0) throw new Error('field number 0');
    pos = afterKey;
    let payloadStart = pos;
    switch (wire) {
      case 0:
        pos = readVarint(buf, pos)[1];
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const [len, after] = readVarint(buf, pos);
        payloadStart = after;
        pos = after + len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wire}`);
    }
    if (pos > end) throw new Error('field runs past the end of the message');
    yield [field, wire, payloadStart, pos];
  }
}

export function readSpmModelInfo(buf: Uint8Array): SpmModelInfo {
  let pieceCount = 0;
  const unknownIds: number[] = [];
  const controlIds: number[] = [];
  for (const [field, wire, start, end] of fields(buf, 0, buf.length)) {
    if (field !== 1) continue;
    if (wire !== 2) throw new Error('pieces field is not a message');
    // SentencePiece { piece = 1 (string); score = 2 (float); type = 3 (enum, default NORMAL = 1) }
    let type = 1;
    let hasPiece = false;
    for (const [f, w, s] of fields(buf, start, end)) {
      if (f === 1 && w === 2) hasPiece = true;
      if (f === 3 && w === 0) type = readVarint(buf, s)[0];
    }
    if (!hasPiece) throw new Error(`piece ${pieceCount} has no text`);
    if (type === 2) unknownIds.push(pieceCount);
    if (type === 3) controlIds.push(pieceCount);
    pieceCount++;
  }
  if (pieceCount === 0) throw new Error('no pieces');
  return { pieceCount, unknownIds, controlIds };
}
