package io.inboard.benchmarks.scale;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every response the client JVMs reported, in arrival order, read from their {@code r} lines
 * (see {@link AdsLoadClients}).
 */
final class AckLog {
  /** One response: who got it, of which type and version, when (epoch µs), how large. */
  record Response(int client, AdsLoadClient.Type type, String version, long receivedMicros,
      long ackedMicros, int bytes, boolean nacked) {}

  private final List<Response> responses = new ArrayList<>();
  private int synced;
  private final List<String> failures = new ArrayList<>();

  /** Takes an event line of a client JVM; returns false for any other line. */
  boolean accept(String line) {
    if (line.startsWith("r ")) {
      String[] f = line.split(" ");
      Response r = new Response(Integer.parseInt(f[1]), AdsLoadClient.Type.valueOf(f[2]), f[3],
          Long.parseLong(f[4]), Long.parseLong(f[5]), Integer.parseInt(f[6]), f[7].equals("1"));
      synchronized (this) {
        responses.add(r);
      }
      return true;
    }
    if (line.equals("synced")) {
      synchronized (this) {
        synced++;
      }
      return true;
    }
    if (line.startsWith("failed ")) {
      synchronized (this) {
        failures.add(line);
      }
      return true;
    }
    return false;
  }

  synchronized int size() {
    return responses.size();
  }

  synchronized int syncedJvms() {
    return synced;
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  /** The responses from index {@code from} on. */
  synchronized List<Response> since(int from) {
    return List.copyOf(responses.subList(from, responses.size()));
  }

  /** The first response of {@code type} each client ACKed in {@code rs}, by client. */
  static Map<Integer, Response> firstOf(List<Response> rs, AdsLoadClient.Type type) {
    Map<Integer, Response> out = new HashMap<>();
    for (Response r : rs) {
      if (r.type() == type && !r.nacked()) {
        out.putIfAbsent(r.client(), r);
      }
    }
    return out;
  }

  /** How many responses of each type {@code rs} holds. */
  static Map<AdsLoadClient.Type, Integer> countByType(List<Response> rs) {
    Map<AdsLoadClient.Type, Integer> out = new EnumMap<>(AdsLoadClient.Type.class);
    for (AdsLoadClient.Type t : AdsLoadClient.Type.values()) {
      out.put(t, 0);
    }
    rs.forEach(r -> out.merge(r.type(), 1, Integer::sum));
    return out;
  }
}
