package io.inboard.benchmarks.mtls;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.inboard.benchmarks.http.EchoServer;
import io.inboard.benchmarks.http.OpenLoop;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One unary gRPC method, {@code bench.Echo/Get}, with raw bytes as messages: it answers every
 * request with the same {@value EchoServer#BODY_LEN}-byte body the HTTP servers send, so both
 * protocols move the same payload. No generated stubs: the marshaller passes bytes through.
 */
public final class ByteEcho {

  public static final MethodDescriptor<byte[], byte[]> GET = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Get"))
      .setRequestMarshaller(Bytes.INSTANCE)
      .setResponseMarshaller(Bytes.INSTANCE)
      .build();

  public static final byte[] EMPTY = new byte[0];

  private ByteEcho() {}

  /** The service answering {@link #GET} with {@code body}. */
  public static ServerServiceDefinition service(byte[] body) {
    return ServerServiceDefinition.builder("bench.Echo")
        .addMethod(GET, ServerCalls.asyncUnaryCall((req, out) -> {
          out.onNext(body);
          out.onCompleted();
        }))
        .build();
  }

  /** The {@value EchoServer#BODY_LEN}-byte body every server answers with. */
  public static byte[] body() {
    byte[] body = new byte[EchoServer.BODY_LEN];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    return body;
  }

  /**
   * One {@link #GET} call on {@code channel} per {@link OpenLoop.Call#call()}, with a 5 s
   * deadline; completes with the response's length on the thread that completed the call.
   */
  public static OpenLoop.Call unaryCalls(Channel channel) {
    return () -> {
      CompletableFuture<Integer> out = new CompletableFuture<>();
      Futures.addCallback(ClientCalls.futureUnaryCall(channel.newCall(GET,
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), EMPTY),
          new FutureCallback<byte[]>() {
            @Override
            public void onSuccess(byte[] response) {
              out.complete(response.length);
            }

            @Override
            public void onFailure(Throwable t) {
              out.completeExceptionally(t);
            }
          }, MoreExecutors.directExecutor());
      return out;
    };
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
