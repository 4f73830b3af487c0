package io.inboard.mesh.grpc.internal.route;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Header changes compiled to metadata operations, in the order Envoy applies them: per level
 * (the picked weighted cluster's, then the route's) removals first, then each {@code
 * HeaderValueOption} with its {@code append_action} (or the deprecated {@code append}: true is
 * {@code APPEND_IF_EXISTS_OR_ADD}, false {@code OVERWRITE_IF_EXISTS_OR_ADD}; unset is {@code
 * APPEND_IF_EXISTS_OR_ADD}). An empty value is dropped unless {@code keep_empty_value}. A {@code
 * -bin} header's value is its wire form, base64.
 *
 * <p>Pseudo-headers ({@code :path}, ...) and the headers gRPC owns ({@code grpc-*}, {@code te},
 * {@code content-type}, {@code host}) are never changed: such an entry is skipped, with one
 * warning per header name per JVM, rather than refused, so that the HTTP clients reading the same
 * route keep it.
 */
final class HeaderChanges {
  private static final Logger log = LoggerFactory.getLogger(HeaderChanges.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  static final HeaderChanges NONE = new HeaderChanges(List.of());

  private enum Kind { REMOVE, APPEND_OR_ADD, ADD_IF_ABSENT, OVERWRITE_OR_ADD, OVERWRITE_IF_EXISTS }

  private record Op(Kind kind, Metadata.Key<Object> key, Object value) {}

  private final List<Op> ops;

  private HeaderChanges(List<Op> ops) {
    this.ops = List.copyOf(ops);
  }

  boolean isEmpty() {
    return ops.isEmpty();
  }

  /** These changes followed by {@code later}'s. */
  HeaderChanges then(HeaderChanges later) {
    if (later.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return later;
    }
    List<Op> all = new ArrayList<>(ops);
    all.addAll(later.ops);
    return new HeaderChanges(all);
  }

  /** Applies the changes to {@code headers} in place. */
  void apply(Metadata headers) {
    for (Op op : ops) {
      switch (op.kind) {
        case REMOVE -> headers.discardAll(op.key);
        case APPEND_OR_ADD -> headers.put(op.key, op.value);
        case ADD_IF_ABSENT -> {
          if (!headers.containsKey(op.key)) {
            headers.put(op.key, op.value);
          }
        }
        case OVERWRITE_OR_ADD -> {
          headers.discardAll(op.key);
          headers.put(op.key, op.value);
        }
        case OVERWRITE_IF_EXISTS -> {
          if (headers.containsKey(op.key)) {
            headers.discardAll(op.key);
            headers.put(op.key, op.value);
          }
        }
      }
    }
  }

  /**
   * Compiles one level's {@code *_headers_to_add} and {@code *_headers_to_remove}.
   *
   * @param field the path of the fields without their {@code _to_add}/{@code _to_remove} suffix,
   *     such as {@code route.request_headers}, for error messages
   * @throws IllegalArgumentException naming the field, value and expectation
   */
  static HeaderChanges of(List<HeaderValueOption> toAdd, List<String> toRemove, String field) {
    if (toAdd.isEmpty() && toRemove.isEmpty()) {
      return NONE;
    }
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < toRemove.size(); i++) {
      String name = toRemove.get(i).toLowerCase(Locale.ROOT);
      if (!reserved(name, field + "_to_remove[" + i + "]")) {
        ops.add(new Op(Kind.REMOVE, key(name, field + "_to_remove[" + i + "]"), null));
      }
    }
    for (int i = 0; i < toAdd.size(); i++) {
      HeaderValueOption h = toAdd.get(i);
      String at = field + "_to_add[" + i + "]";
      if (h.hasAppend() && h.getAppendAction() != HeaderValueOption.HeaderAppendAction
          .APPEND_IF_EXISTS_OR_ADD) {
        throw new IllegalArgumentException(at + ": both append and append_action set"
            + " (expected: one of them)");
      }
      String name = h.getHeader().getKey().toLowerCase(Locale.ROOT);
      String value = h.getHeader().getRawValue().isEmpty()
          ? h.getHeader().getValue() : h.getHeader().getRawValue().toStringUtf8();
      if (reserved(name, at) || (value.isEmpty() && !h.getKeepEmptyValue())) {
        continue;
      }
      Kind kind = h.hasAppend()
          ? (h.getAppend().getValue() ? Kind.APPEND_OR_ADD : Kind.OVERWRITE_OR_ADD)
          : switch (h.getAppendAction()) {
            case APPEND_IF_EXISTS_OR_ADD -> Kind.APPEND_OR_ADD;
            case ADD_IF_ABSENT -> Kind.ADD_IF_ABSENT;
            case OVERWRITE_IF_EXISTS_OR_ADD -> Kind.OVERWRITE_OR_ADD;
            case OVERWRITE_IF_EXISTS -> Kind.OVERWRITE_IF_EXISTS;
            default -> throw new IllegalArgumentException(at + ".append_action: "
                + h.getAppendActionValue() + " (expected: APPEND_IF_EXISTS_OR_ADD, ADD_IF_ABSENT,"
                + " OVERWRITE_IF_EXISTS_OR_ADD or OVERWRITE_IF_EXISTS)");
          };
      Metadata.Key<Object> key = key(name, at + ".header.key");
      ops.add(new Op(kind, key, name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
          ? base64(value, at + ".header.value") : value));
    }
    return new HeaderChanges(ops);
  }

  @SuppressWarnings("unchecked")
  private static Metadata.Key<Object> key(String name, String field) {
    try {
      return name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
          ? (Metadata.Key<Object>) (Metadata.Key<?>) Metadata.Key.of(name,
              Metadata.BINARY_BYTE_MARSHALLER)
          : (Metadata.Key<Object>) (Metadata.Key<?>) Metadata.Key.of(name,
              Metadata.ASCII_STRING_MARSHALLER);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": '" + name
          + "' (expected: a header name of lower-case letters, digits and - _ .)", e);
    }
  }

  private static byte[] base64(String value, String field) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": '" + value
          + "' (expected: base64, the wire form of a -bin header)", e);
    }
  }

  /** Whether gRPC owns {@code name}; warns once per name. */
  private static boolean reserved(String name, String field) {
    boolean reserved = name.startsWith(":") || name.startsWith("grpc-") || name.equals("te")
        || name.equals("content-type") || name.equals("host");
    if (reserved && WARNED.add(name)) {
      log.warn("{}: '{}' skipped on gRPC calls (expected: a header gRPC does not own; pseudo-"
          + "headers, grpc-*, te, content-type and host are gRPC's)", field, name);
    }
    return reserved;
  }
}
