package io.inboard.mesh.http.internal.lb;

/**
 * A fast 64-bit string hash for the consistent-hash ring: FNV-1a over the UTF-16 code units,
 * finished with MurmurHash3's fmix64 so that similar keys ({@code host_1}, {@code host_2})
 * spread over the whole ring.
 */
final class Hashing {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Hashing() {}

  static long hash(CharSequence text) {
    long h = FNV_OFFSET;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= FNV_PRIME;
    }
    return fmix64(h);
  }

  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb93fe53a87bbL;
    k ^= k >>> 33;
    return k;
  }
}
