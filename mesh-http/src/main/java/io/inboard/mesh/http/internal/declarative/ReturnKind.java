package io.inboard.mesh.http.internal.declarative;

import io.inboard.mesh.http.MeshHttpStatusException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** What a client-interface method returns, and how a response becomes that value. */
enum ReturnKind {
  STRING, BYTES, VOID, RESPONSE_OF_STRING, RESPONSE_OF_BYTES;

  static final String EXPECTED = "String, byte[], void, HttpResponse<String>,"
      + " HttpResponse<byte[]>, or CompletableFuture of one of these";

  /** The kind for a (non-future) return type, or {@code null} if unsupported. */
  static ReturnKind of(Type type, boolean insideFuture) {
    if (type == String.class) {
      return STRING;
    }
    if (type == byte[].class) {
      return BYTES;
    }
    if (type == (insideFuture ? Void.class : void.class)) {
      return VOID;
    }
    if (type instanceof ParameterizedType p && p.getRawType() == HttpResponse.class) {
      Type body = p.getActualTypeArguments()[0];
      if (body == String.class) {
        return RESPONSE_OF_STRING;
      }
      if (body == byte[].class) {
        return RESPONSE_OF_BYTES;
      }
    }
    return null;
  }

  /** Whether {@code type} is {@code CompletableFuture<X>}; then X is the kind's type. */
  static Type futureElement(Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() == CompletableFuture.class) {
      return p.getActualTypeArguments()[0];
    }
    return null;
  }

  BodyHandler<?> handler() {
    return this == BYTES || this == RESPONSE_OF_BYTES
        ? BodyHandlers.ofByteArray() : BodyHandlers.ofString();
  }

  /** The method's value for {@code response}; throws for a status outside 2xx unless raw. */
  Object adapt(HttpRequest request, HttpResponse<?> response) {
    if (this == RESPONSE_OF_STRING || this == RESPONSE_OF_BYTES) {
      return response;
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      Object body = response.body();
      String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
          : body == null ? "" : body.toString();
      throw new MeshHttpStatusException(request.method(), request.uri(), status, text);
    }
    return this == VOID ? null : response.body();
  }
}
