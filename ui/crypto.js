// The inspector's digests for signing provider calls: SHA-1 (Yunxin's CheckSum), SHA-256,
// HMAC-SHA256 and base64url (HS256 JWTs, AnqiCMS user tokens). WebCrypto where the page is a
// secure context; elsewhere (http://emulator:4800 in a compose stack, where crypto.subtle is
// missing) a small implementation of the same functions.

const encoder = new TextEncoder();

/** The UTF-8 bytes of `data` (a string), or `data` itself (bytes). */
function bytes(data) {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** Lowercase hex of bytes. */
export function hex(data) {
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** base64url without padding, of bytes or of a string's UTF-8. */
export function base64url(data) {
  let binary = '';
  for (const b of bytes(data)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function subtle() {
  return globalThis.isSecureContext && globalThis.crypto && globalThis.crypto.subtle;
}

/** SHA-1 of `data`, as lowercase hex. */
export async function sha1Hex(data) {
  const s = subtle();
  if (s) return hex(new Uint8Array(await s.digest('SHA-1', bytes(data))));
  return hex(sha1(bytes(data)));
}

/** SHA-256 of `data`, as bytes. */
export async function sha256(data) {
  const s = subtle();
  if (s) return new Uint8Array(await s.digest('SHA-256', bytes(data)));
  return sha256Sync(bytes(data));
}

/** HMAC-SHA256 of `message` under `key`, as bytes. */
export async function hmacSha256(key, message) {
  const s = subtle();
  if (s) {
    const k = await s.importKey('raw', bytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    return new Uint8Array(await s.sign('HMAC', k, bytes(message)));
  }
  return hmacSync(bytes(key), bytes(message));
}

/** An HS256 JWT of `claims` signed with `key`, no padding (as golang-jwt v5 wants). */
export async function jwtHs256(claims, key) {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signature = await hmacSha256(key, head + '.' + body);
  return head + '.' + body + '.' + base64url(signature);
}

// ---- the implementation for pages that are not a secure context ---------------------------

/** `data` padded as SHA-1 and SHA-2 want, as big-endian 32-bit words. */
function words(data) {
  const length = ((data.length + 8) >> 6) * 64 + 64;
  const padded = new Uint8Array(length);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(length - 8, Math.floor(data.length / 0x20000000));
  view.setUint32(length - 4, (data.length * 8) >>> 0);
  const out = new Uint32Array(length / 4);
  for (let i = 0; i < out.length; i += 1) out[i] = view.getUint32(i * 4);
  return out;
}

function bigEndian(state) {
  const out = new Uint8Array(state.length * 4);
  const view = new DataView(out.buffer);
  state.forEach((word, i) => view.setUint32(i * 4, word));
  return out;
}

const rotl = (x, n) => (x << n) | (x >>> (32 - n));

function sha1(data) {
  const m = words(data);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < m.length; block += 16) {
    for (let t = 0; t < 80; t += 1) {
      w[t] = t < 16 ? m[block + t] : rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    let [a, b, c, d, e] = h;
    for (let t = 0; t < 80; t += 1) {
      const f =
        t < 20 ? (b & c) | (~b & d) : t < 40 || t >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const next = (rotl(a, 5) + f + e + k + w[t]) >>> 0;
      [e, d, c, b, a] = [d, c, rotl(b, 30) >>> 0, a, next];
    }
    [a, b, c, d, e].forEach((v, i) => (h[i] = (h[i] + v) >>> 0));
  }
  return bigEndian(h);
}

/** The first 32 bits of the fractional parts of the square and cube roots of the primes. */
function roots(count, power) {
  const out = [];
  for (let n = 2; out.length < count; n += 1) {
    if (!isPrime(n)) continue;
    const root = Math.pow(n, power);
    out.push(((root - Math.floor(root)) * 0x100000000) >>> 0);
  }
  return out;
}

function isPrime(n) {
  for (let d = 2; d * d <= n; d += 1) if (n % d === 0) return false;
  return true;
}

let constants = null;

function sha256Sync(data) {
  constants = constants || { h: roots(8, 1 / 2), k: roots(64, 1 / 3) };
  const { k } = constants;
  const m = words(data);
  const h = constants.h.slice();
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let block = 0; block < m.length; block += 16) {
    for (let t = 0; t < 64; t += 1) {
      if (t < 16) {
        w[t] = m[block + t];
        continue;
      }
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t += 1) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + k[t] + w[t]) >>> 0;
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i] = (h[i] + v) >>> 0));
  }
  return bigEndian(h);
}

function hmacSync(key, message) {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256Sync(key) : key);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i += 1) {
    inner[i] = block[i] ^ 0x36;
    outer[i] = block[i] ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sha256Sync(inner), 64);
  return sha256Sync(outer);
}
