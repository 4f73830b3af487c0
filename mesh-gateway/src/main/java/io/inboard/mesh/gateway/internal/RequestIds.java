package io.inboard.mesh.gateway.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code x-request-id} values: random (version 4) UUIDs as Envoy makes them, drawn from the
 * thread's own generator. An id correlates logs and traces; it is no secret, so it needs no
 * {@code SecureRandom}, whose shared lock {@link UUID#randomUUID()} takes on every request.
 */
final class RequestIds {

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long high = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(high, low).toString();
  }
}
