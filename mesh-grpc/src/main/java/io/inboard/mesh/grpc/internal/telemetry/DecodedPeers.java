package io.inboard.mesh.grpc.internal.telemetry;

import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The peers whose Istio header ({@code x-envoy-peer-metadata}) this process decoded last, by the
 * header's bytes as they came off the wire. A peer sends the same bytes on every call, so a
 * call compares bytes (about 350 of them, no allocation) instead of making a String of them and
 * hashing it; {@link #SLOTS} peers are kept, the oldest replaced first.
 */
final class DecodedPeers {

  static final int SLOTS = 16;

  private static final AtomicReferenceArray<Entry> ENTRIES = new AtomicReferenceArray<>(SLOTS);
  private static final AtomicInteger NEXT = new AtomicInteger();

  private DecodedPeers() {}

  /** The identity decoded from these bytes before, or null. */
  static PeerIdentity find(byte[] header) {
    for (int i = 0; i < SLOTS; i++) {
      Entry e = ENTRIES.get(i);
      if (e == null) {
        return null;
      }
      if (Arrays.equals(e.header, header)) {
        return e.identity;
      }
    }
    return null;
  }

  /** Remembers {@code identity} as what {@code header} decodes to (a copy of it is kept). */
  static void add(byte[] header, PeerIdentity identity) {
    ENTRIES.set(Math.floorMod(NEXT.getAndIncrement(), SLOTS), new Entry(header.clone(), identity));
  }

  private record Entry(byte[] header, PeerIdentity identity) {}
}
