package io.inboard.mesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GrpcBackendExtensionTest {

  @RegisterExtension
  static final GrpcBackendExtension backend =
      GrpcBackendExtension.on("127.0.0.2").version("v2").build();

  private ManagedChannel channel;
  private SimpleServiceGrpc.SimpleServiceBlockingStub stub;

  @BeforeEach
  void connect() {
    backend.reset();
    channel = ManagedChannelBuilder.forTarget(backend.address()).usePlaintext().build();
    stub = SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void disconnect() {
    channel.shutdownNow();
  }

  @Test
  void answersWithItsAddressAndKeepsTheLastHeaders() {
    Metadata h = new Metadata();
    h.put(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER), "jason");
    String answer = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
        .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();

    assertThat(answer).isEqualTo("127.0.0.2");
    assertThat(backend.lastHeaders().orElseThrow()
        .get(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("jason");
  }

  @Test
  void failWithFailsEveryCallUntilCleared() {
    backend.failWith(Status.RESOURCE_EXHAUSTED);
    assertThatThrownBy(() -> stub.unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

    backend.failWith(null);
    assertThat(stub.unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage())
        .isEqualTo("127.0.0.2");
  }

  @Test
  void hangLeavesCallsToTheirDeadline() {
    backend.hang(true);
    assertThatThrownBy(() -> stub.withDeadlineAfter(200, TimeUnit.MILLISECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void failPercentCountsEveryCall() {
    int before = backend.calls();
    backend.failPercent(50);
    int failed = 0;
    for (int i = 0; i < 10; i++) {
      try {
        stub.unaryRpc(SimpleRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        failed++;
      }
    }
    assertThat(failed).isEqualTo(5);
    assertThat(backend.calls() - before).isEqualTo(10);
  }
}
