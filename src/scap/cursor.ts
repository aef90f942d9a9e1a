/** A problem in the capture at an absolute byte offset (of the decompressed stream for .gz). */
export class ScapFormatError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

export function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Bounds-checked little-endian reads over one block body. `base` is the body's absolute offset in
 * the capture, so every error names the exact byte where the data ran out or went wrong.
 */
export class Cursor {
  pos: number;
  /** Little-endian reads through a DataView are inlined by V8, where Buffer's read methods are calls. */
  view: DataView;

  constructor(public buf: Buffer, public base: number, start = 0, public end = buf.length) {
    this.pos = start;
    this.view = viewOf(buf);
  }

  /** Points this cursor at another range: the parser reuses one cursor for every block. */
  reset(buf: Buffer, base: number, start: number, end: number): this {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = viewOf(buf);
    }
    this.base = base;
    this.pos = start;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get offset(): number {
    return this.base + this.pos;
  }

  fail(message: string, at = this.pos): never {
    throw new ScapFormatError(this.base + at, message);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) this.fail(`${what}: needs ${n} bytes, ${this.end - this.pos} left in the block`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i64(what: string): number {
    this.need(8, what);
    const v = this.view.getInt32(this.pos + 4, true) * 4294967296 + this.view.getUint32(this.pos, true);
    this.pos += 8;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** u16 length, then that many bytes (not NUL-terminated on disk). */
  lstring(what: string, max = 0xffff): string {
    const len = this.u16(`${what} length`);
    if (len > max) this.fail(`${what}: length ${len} exceeds ${max}`, this.pos - 2);
    return this.bytes(len, what).toString('utf8').replace(/\0+$/, '');
  }

  /** u16 length, then NUL-separated strings. */
  lstrings(what: string): string[] {
    const len = this.u16(`${what} length`);
    const raw = this.bytes(len, what).toString('utf8');
    const parts = raw.split('\0');
    if (parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
}
