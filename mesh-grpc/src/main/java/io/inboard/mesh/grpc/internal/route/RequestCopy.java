package io.inboard.mesh.grpc.internal.route;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A unary request that can be sent more than once (retries, mirrors). A message object is sent
 * as is (gRPC marshals it afresh per call); a raw {@link InputStream}, which grpc-xds hands to
 * filters when its ext_proc flags are on, is read once and replayed from its bytes.
 */
final class RequestCopy<Q> {
  private final Q message;
  private final byte[] bytes;

  private RequestCopy(Q message, byte[] bytes) {
    this.message = message;
    this.bytes = bytes;
  }

  static <Q> RequestCopy<Q> of(Q message) {
    if (message instanceof InputStream in) {
      try (in) {
        return new RequestCopy<>(null, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("reading the request to send it more than once", e);
      }
    }
    return new RequestCopy<>(message, null);
  }

  /** The request, for one more send. */
  @SuppressWarnings("unchecked")
  Q get() {
    return bytes == null ? message : (Q) new ByteArrayInputStream(bytes);
  }
}
