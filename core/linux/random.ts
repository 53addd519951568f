/**
 * Where the guest's randomness comes from (AT_RANDOM, getrandom,
 * /dev/urandom): the host's CSPRNG, or, with `--seed N` as qemu's `-seed`,
 * GLib's Mersenne Twister seeded exactly as qemu seeds it
 * (util/guest-random.c: `g_rand_new_with_seed_array` over the 64-bit seed
 * as two 32-bit words, little-endian; bytes are the 32-bit outputs stored
 * little-endian). The first 16 bytes, AT_RANDOM, then equal qemu's.
 *
 * @module
 */

/** A source of random bytes. */
export interface RandomSource {
  /** Fills `buf` with random bytes. */
  fill(buf: Uint8Array): void;
}

/**
 * The host's cryptographic generator.
 *
 * @example
 * ```ts
 * import { hostRandom } from "./random.ts";
 * const b = new Uint8Array(8);
 * hostRandom().fill(b);
 * console.log(b.length); // 8
 * ```
 */
export function hostRandom(): RandomSource {
  return {
    fill(buf) {
      for (let i = 0; i < buf.length; i += 65536) {
        crypto.getRandomValues(buf.subarray(i, i + 65536));
      }
    },
  };
}

const N = 624, M = 397; // MT19937 (glib/grand.c)

/** GLib's GRand: MT19937 with `g_rand_set_seed_array` seeding. */
class GRand {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: Uint32Array) {
    const mt = this.mt;
    // g_rand_set_seed(rand, 19650218), GLib >= 2.2 (Knuth's initializer).
    mt[0] = 19650218;
    for (let i = 1; i < N; i++) {
      const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = Math.imul(1812433253, p) + i;
    }
    let i = 1, j = 0;
    for (let k = Math.max(N, seed.length); k > 0; k--) {
      const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(p, 1664525)) + seed[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= seed.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(p, 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.mti = N;
  }

  /** g_rand_int: the next tempered 32-bit output. */
  next(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff);
        mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/**
 * The generator qemu's `-seed N` gives the guest. Bytes come four at a
 * time from 32-bit outputs, little-endian; a tail shorter than four takes
 * the low bytes of one more output.
 *
 * @example
 * ```ts
 * import { seededRandom } from "./random.ts";
 * const a = new Uint8Array(16), b = new Uint8Array(16);
 * seededRandom(1n).fill(a);
 * seededRandom(1n).fill(b);
 * console.log(a.join() === b.join()); // true
 * ```
 */
export function seededRandom(seed: bigint): RandomSource {
  const s = BigInt.asUintN(64, seed);
  const rand = new GRand(
    new Uint32Array([Number(s & 0xffff_ffffn), Number(s >> 32n)]),
  );
  return {
    fill(buf) {
      const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      let i = 0;
      for (; i + 4 <= buf.length; i += 4) v.setUint32(i, rand.next(), true);
      if (i < buf.length) {
        let x = rand.next();
        for (; i < buf.length; i++, x >>>= 8) buf[i] = x & 0xff;
      }
    },
  };
}
