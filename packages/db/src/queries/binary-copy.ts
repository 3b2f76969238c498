/**
 * Rows in COPY's binary format. Against the text format it spares both sides the work on every
 * value: no number or timestamp printing here, no parsing in Postgres (NaN and ±Infinity are
 * plain IEEE values).
 */
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Microseconds between the Unix epoch and Postgres' (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;

export class BinaryCopyWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(estimatedBytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, estimatedBytes + 21));
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11); // flags
    this.buf.writeInt32BE(0, 15); // header extension length
    this.pos = 19;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  row(fields: number): this {
    this.ensure(2 + fields * 12);
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
    return this;
  }

  int2(v: number): this {
    this.buf.writeInt32BE(2, this.pos);
    this.buf.writeInt16BE(v, this.pos + 4);
    this.pos += 6;
    return this;
  }

  int4(v: number): this {
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeInt32BE(v, this.pos + 4);
    this.pos += 8;
    return this;
  }

  float8(v: number): this {
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeDoubleBE(v, this.pos + 4);
    this.pos += 12;
    return this;
  }

  float4OrNull(v: number | null): this {
    if (v === null) {
      this.buf.writeInt32BE(-1, this.pos);
      this.pos += 4;
      return this;
    }
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeFloatBE(v, this.pos + 4);
    this.pos += 8;
    return this;
  }

  /** timestamptz from epoch milliseconds (int64 microseconds since 2000-01-01, written as two halves). */
  timestampMs(ms: number): this {
    const us = (ms - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(us / TWO_32);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeInt32BE(hi, this.pos + 4);
    this.buf.writeUInt32BE(us - hi * TWO_32, this.pos + 8);
    this.pos += 12;
    return this;
  }

  finish(): Buffer {
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
    return this.buf.subarray(0, this.pos);
  }
}
