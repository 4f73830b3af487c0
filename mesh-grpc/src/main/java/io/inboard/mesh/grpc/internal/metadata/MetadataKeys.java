package io.inboard.mesh.grpc.internal.metadata;

import io.grpc.Metadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** ASCII metadata keys by lower-case header name, made once: calls only look them up. */
public final class MetadataKeys {

  private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

  private MetadataKeys() {}

  public static Metadata.Key<String> of(String name) {
    Metadata.Key<String> k = KEYS.get(name);
    return k != null ? k
        : KEYS.computeIfAbsent(name, n -> Metadata.Key.of(n, Metadata.ASCII_STRING_MARSHALLER));
  }
}
