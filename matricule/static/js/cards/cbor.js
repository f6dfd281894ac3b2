// Minimal CBOR (RFC 8949) for the card verifier: decodes what the server emits
// (unsigned and negative integers, byte and text strings, arrays, maps, tags,
// false/true/null, floats) and encodes the COSE Sig_structure (arrays, text, bytes).
// Maps decode to Map so integer keys stay integers. Indefinite lengths are refused.

export class CborError extends Error {}

export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

const MAX_DEPTH = 16;

export function decode(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;

  function need(n) {
    if (pos + n > bytes.length) throw new CborError("truncated");
  }

  function readLength(info) {
    if (info < 24) return info;
    if (info === 24) { need(1); return bytes[pos++]; }
    if (info === 25) { need(2); const v = view.getUint16(pos); pos += 2; return v; }
    if (info === 26) { need(4); const v = view.getUint32(pos); pos += 4; return v; }
    if (info === 27) {
      need(8);
      const v = view.getBigUint64(pos);
      pos += 8;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    throw new CborError("indefinite or reserved length");
  }

  function half(bits) {
    const exp = (bits >> 10) & 0x1f;
    const mant = bits & 0x3ff;
    const sign = bits & 0x8000 ? -1 : 1;
    if (exp === 0) return sign * mant * 2 ** -24;
    if (exp === 31) return mant ? NaN : sign * Infinity;
    return sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }

  function item(depth) {
    if (depth > MAX_DEPTH) throw new CborError("too deep");
    need(1);
    const initial = bytes[pos++];
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 23) return undefined;
      if (info === 25) { need(2); const v = view.getUint16(pos); pos += 2; return half(v); }
      if (info === 26) { need(4); const v = view.getFloat32(pos); pos += 4; return v; }
      if (info === 27) { need(8); const v = view.getFloat64(pos); pos += 8; return v; }
      throw new CborError("unsupported simple value");
    }
    const len = readLength(info);
    switch (major) {
      case 0:
        return len;
      case 1:
        return typeof len === "bigint" ? -1n - len : -1 - len;
      case 2:
      case 3: {
        if (typeof len === "bigint") throw new CborError("too long");
        need(len);
        const chunk = bytes.subarray(pos, pos + len);
        pos += len;
        return major === 2
          ? chunk.slice()
          : new TextDecoder("utf-8", { fatal: true }).decode(chunk);
      }
      case 4: {
        if (typeof len === "bigint" || len > bytes.length) throw new CborError("too long");
        const out = [];
        for (let i = 0; i < len; i++) out.push(item(depth + 1));
        return out;
      }
      case 5: {
        if (typeof len === "bigint" || len > bytes.length) throw new CborError("too long");
        const out = new Map();
        for (let i = 0; i < len; i++) {
          const key = item(depth + 1);
          out.set(key, item(depth + 1));
        }
        return out;
      }
      case 6:
        return new Tagged(len, item(depth + 1));
      default:
        throw new CborError("bad major type");
    }
  }

  const value = item(0);
  if (pos !== bytes.length) throw new CborError("trailing bytes");
  return value;
}

function head(major, len, out) {
  if (len < 24) out.push((major << 5) | len);
  else if (len < 0x100) out.push((major << 5) | 24, len);
  else if (len < 0x10000) out.push((major << 5) | 25, len >> 8, len & 0xff);
  else out.push((major << 5) | 26, (len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
}

export function encode(value) {
  const out = [];
  (function put(v) {
    if (v instanceof Uint8Array) {
      head(2, v.length, out);
      for (const b of v) out.push(b);
    } else if (typeof v === "string") {
      const data = new TextEncoder().encode(v);
      head(3, data.length, out);
      for (const b of data) out.push(b);
    } else if (Array.isArray(v)) {
      head(4, v.length, out);
      v.forEach(put);
    } else if (Number.isInteger(v) && v >= 0) {
      head(0, v, out);
    } else if (Number.isInteger(v)) {
      head(1, -1 - v, out);
    } else {
      throw new CborError("cannot encode");
    }
  })(value);
  return new Uint8Array(out);
}
