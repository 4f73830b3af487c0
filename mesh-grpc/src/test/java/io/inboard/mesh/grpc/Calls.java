package io.inboard.mesh.grpc;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Helpers that make unary calls and report who answered. */
final class Calls {

  private Calls() {}

  /** One call with a 10 s deadline (generous: CI machines are small and shared); returns the answering backend's IP. */
  static String call(Channel channel) {
    return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
  }

  /** {@code n} calls; how many each backend IP answered. */
  static Map<String, Integer> spread(Channel channel, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(call(channel), 1, Integer::sum);
    }
    return counts;
  }

  /** The status of a call expected to fail. */
  static StatusRuntimeException failure(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded, expected it to fail");
  }
}
