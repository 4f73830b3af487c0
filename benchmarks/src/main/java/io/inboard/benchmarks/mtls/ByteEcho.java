package io.inboard.benchmarks.mtls;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.inboard.benchmarks.http.EchoServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One unary gRPC method, {@code bench.Echo/Get}, with raw bytes as messages: it answers every
 * request with the same {@value EchoServer#BODY_LEN}-byte body the HTTP servers send, so both
 * protocols move the same payload. No generated stubs: the marshaller passes bytes through.
 */
final class ByteEcho {

  static final MethodDescriptor<byte[], byte[]> GET = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Get"))
      .setRequestMarshaller(Bytes.INSTANCE)
      .setResponseMarshaller(Bytes.INSTANCE)
      .build();

  static final byte[] EMPTY = new byte[0];

  private ByteEcho() {}

  /** The service answering {@link #GET} with {@code body}. */
  static ServerServiceDefinition service(byte[] body) {
    return ServerServiceDefinition.builder("bench.Echo")
        .addMethod(GET, ServerCalls.asyncUnaryCall((req, out) -> {
          out.onNext(body);
          out.onCompleted();
        }))
        .build();
  }

  private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
