package io.inboard.mesh.security.internal.jwt;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens already verified, so that a repeated token costs a map lookup and a clock read rather
 * than a parse and a signature check. Only accepted tokens are stored: caching rejections would
 * let anyone fill the cache with garbage. Bounded: at {@code capacity} entries an insert first
 * drops the expired ones and then arbitrary ones until at most 90% of {@code capacity} remain (a
 * token dropped is simply verified again).
 */
final class VerifiedTokenCache {
  /** Default bound: 10,000 tokens. */
  static final int DEFAULT_CAPACITY = 10_000;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final int capacity;

  VerifiedTokenCache(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The outcome cached for {@code token} found at {@code location}, or {@code null} when there is
   * none, it was found elsewhere (its header changes would differ), or it is no longer valid at
   * {@code nowMillis}.
   */
  JwtOutcome.Authenticated get(String token, TokenLocation location, long nowMillis) {
    Entry entry = entries.get(token);
    if (entry == null || entry.location != location) {
      return null;
    }
    if (nowMillis > entry.validUntilMillis) {
      entries.remove(token, entry);
      return null;
    }
    return entry.outcome;
  }

  void put(String token, TokenLocation location, JwtOutcome.Authenticated outcome,
      long validUntilMillis, long nowMillis) {
    if (entries.size() >= capacity) {
      evict(nowMillis);
    }
    entries.put(token, new Entry(location, outcome, validUntilMillis));
  }

  int size() {
    return entries.size();
  }

  private void evict(long nowMillis) {
    entries.values().removeIf(entry -> nowMillis > entry.validUntilMillis);
    int toDrop = entries.size() - capacity + Math.max(1, capacity / 10);
    for (Iterator<String> it = entries.keySet().iterator(); it.hasNext() && toDrop > 0; toDrop--) {
      it.next();
      it.remove();
    }
  }

  private record Entry(TokenLocation location, JwtOutcome.Authenticated outcome, long validUntilMillis) {}
}
