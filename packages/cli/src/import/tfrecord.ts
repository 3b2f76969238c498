/**
 * TFRecord framing, as TensorFlow's record writer lays it out: for each record
 *   uint64 length (little-endian) · uint32 masked CRC-32C of those 8 bytes · data · uint32 masked CRC-32C of data.
 * Reading stops at the first record that is cut off or fails a check, with its byte offset, so a
 * file still being written (or damaged) yields every record before the damage.
 */

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TensorFlow stores CRCs rotated and offset, so a CRC of data that itself holds CRCs stays strong. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

export type TfRecordRead = { records: Buffer[]; error?: { offset: number; message: string } };

export function readTfRecords(buffer: Buffer): TfRecordRead {
  const records: Buffer[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < 12) return { records, error: { offset, message: `truncated record header (${buffer.length - offset} of 12 bytes)` } };
    const lengthBytes = buffer.subarray(offset, offset + 8);
    if (buffer.readUInt32LE(offset + 8) !== maskedCrc32c(lengthBytes)) return { records, error: { offset, message: "record length fails its CRC-32C check (corrupt or not a TFRecord file)" } };
    const length = Number(buffer.readBigUInt64LE(offset));
    const start = offset + 12;
    if (buffer.length - start < length + 4) return { records, error: { offset, message: `truncated record (${length} bytes announced, ${Math.max(0, buffer.length - start - 4)} present)` } };
    const data = buffer.subarray(start, start + length);
    if (buffer.readUInt32LE(start + length) !== maskedCrc32c(data)) return { records, error: { offset, message: "record data fails its CRC-32C check (corrupt)" } };
    records.push(data);
    offset = start + length + 4;
  }
  return { records };
}

/** One framed record, for writing test fixtures. */
export function frameTfRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, data, footer]);
}
