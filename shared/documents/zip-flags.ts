/**
 * The one thing fflate does not tell: whether a zip entry is encrypted. fflate's readers expose names,
 * sizes and methods but neither the general-purpose flags nor the CRC, and inflate an encrypted entry's
 * bytes as if they were plain (garbage out, or a confusing inflate error). So this reads the flag word
 * of each central-directory record (APPNOTE 4.3.12, 4.4.4: bit 0 encrypted, bit 6 strong encryption)
 * and nothing else; all reading of data stays fflate's.
 */

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;
/** The end record may be followed by a comment of up to 65535 bytes. */
const MAX_EOCD_SEARCH = EOCD_SIZE + 0xffff;
const ENCRYPTED_FLAGS = 0x0001 | 0x0040;

export type CentralDirectoryFlags =
  | { ok: true; encrypted: number; zip64: boolean }
  | { ok: false };

export function centralDirectoryFlags(bytes: Uint8Array): CentralDirectoryFlags {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  let end = -1;
  for (let at = bytes.length - EOCD_SIZE; at >= 0 && bytes.length - at <= MAX_EOCD_SEARCH; at--) {
    if (u32(at) === EOCD_SIGNATURE) {
      end = at;
      break;
    }
  }
  if (end < 0) return { ok: false };
  const count = u16(end + 10);
  const offset = u32(end + 16);
  // ZIP64 (more than 65535 entries or offsets past 4 GiB) never fits the document size limit.
  if (count === 0xffff || offset === 0xffffffff) return { ok: true, encrypted: 0, zip64: true };
  let at = offset;
  let encrypted = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL_SIGNATURE) return { ok: false };
    if (u16(at + 8) & ENCRYPTED_FLAGS) encrypted++;
    at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
  }
  return { ok: true, encrypted, zip64: false };
}
