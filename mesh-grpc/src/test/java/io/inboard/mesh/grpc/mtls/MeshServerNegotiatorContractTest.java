package io.inboard.mesh.grpc.mtls;

import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.MESH_CA;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.PRODUCTPAGE;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.REVIEWS;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the grpc-netty internals {@code MeshServerNegotiator} relies on ({@code
 * InternalNettyServerCredentials}, {@code InternalProtocolNegotiators}, the order of the
 * {@code ProtocolNegotiationEvent} and the pipeline hand-over), as the permissive-grpc spike
 * checked them: if a grpc upgrade breaks one, a test here fails.
 */
class MeshServerNegotiatorContractTest {

  private final List<ManagedChannel> channels = new ArrayList<>();
  private Mesh serverMesh;
  private Mesh clientMesh;
  private Server server;
  private InMemoryIdentity client;

  @BeforeEach
  void start() throws IOException {
    serverMesh = MtlsWorkloads.mesh("reviews", "reviews-v1");
    MtlsWorkloads.identity(serverMesh, REVIEWS, MESH_CA);
    server = MtlsWorkloads.echoServer(serverMesh);
    clientMesh = MtlsWorkloads.mesh("productpage", "productpage-v1");
    client = MtlsWorkloads.identity(clientMesh, PRODUCTPAGE, MESH_CA);
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    serverMesh.close();
    clientMesh.close();
  }

  private ManagedChannel plaintext() {
    return keep(MtlsWorkloads.plaintext(server));
  }

  private ManagedChannel mtls() {
    return keep(MtlsWorkloads.mtls(server, client));
  }

  private ManagedChannel keep(ManagedChannel c) {
    channels.add(c);
    return c;
  }

  @Test
  void permissive_servesPlaintextAndMtlsOnOnePort() {
    MtlsWorkloads.mode(serverMesh, MtlsMode.PERMISSIVE);

    assertThat(call(plaintext())).isEmpty();
    assertThat(call(mtls())).isEqualTo(PRODUCTPAGE.toString());
  }

  @Test
  void permissive_isTheDefault() {
    assertThat(InboundMtls.of(serverMesh).policy().mode(server.getPort()))
        .isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(call(plaintext())).isEmpty();
    assertThat(call(mtls())).isEqualTo(PRODUCTPAGE.toString());
  }

  @Test
  void strict_refusesPlaintext_andServesMtls() {
    MtlsWorkloads.mode(serverMesh, MtlsMode.STRICT);

    assertUnavailable(plaintext());
    assertThat(call(mtls())).isEqualTo(PRODUCTPAGE.toString());
  }

  @Test
  void strictAndPermissive_refuseTlsWithoutClientCertificate() {
    for (MtlsMode mode : List.of(MtlsMode.STRICT, MtlsMode.PERMISSIVE)) {
      MtlsWorkloads.mode(serverMesh, mode);
      assertUnavailable(keep(MtlsWorkloads.tlsWithoutCertificate(server, client)));
    }
  }

  @Test
  void disable_refusesTls_andServesPlaintext() {
    MtlsWorkloads.mode(serverMesh, MtlsMode.DISABLE);

    assertUnavailable(mtls());
    assertThat(call(plaintext())).isEmpty();
  }

  @Test
  void portLevelMode_appliesToItsPortOnly() {
    InboundMtls.of(serverMesh).set(new InboundMtlsPolicy(MtlsMode.PERMISSIVE,
        Map.of(server.getPort(), MtlsMode.STRICT)));

    assertUnavailable(plaintext());
    InboundMtls.of(serverMesh).set(new InboundMtlsPolicy(MtlsMode.STRICT,
        Map.of(server.getPort(), MtlsMode.DISABLE)));
    assertThat(call(plaintext())).isEmpty();
  }

  @Test
  void modeSwitch_appliesWithoutRestart_andClosesPlaintextConnectionsItNoLongerAdmits() {
    MtlsWorkloads.mode(serverMesh, MtlsMode.PERMISSIVE);
    ManagedChannel before = plaintext();
    assertThat(call(before)).isEmpty();

    MtlsWorkloads.mode(serverMesh, MtlsMode.STRICT);
    // as Envoy drains the old filter chains: the open plaintext connection is closed (on the
    // server's event loop, so a call may still slip through first), and its channel's next
    // connection gets the new mode
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertUnavailable(before));
    assertUnavailable(plaintext());
    assertThat(call(mtls())).isEqualTo(PRODUCTPAGE.toString());

    MtlsWorkloads.mode(serverMesh, MtlsMode.PERMISSIVE);
    assertThat(call(plaintext())).isEmpty();
  }

  @Test
  void expiredClientCertificate_isRefused() {
    MtlsWorkloads.mode(serverMesh, MtlsMode.STRICT);
    Mesh expiredMesh = MtlsWorkloads.mesh("ratings", "ratings-v1");
    try {
      InMemoryIdentity expired = MtlsWorkloads.identity(expiredMesh,
          MESH_CA.issueExpired(PRODUCTPAGE, Duration.ofMinutes(5)));

      // the server's trust manager refuses it and says so in its alert
      assertThat(assertUnavailable(keep(MtlsWorkloads.mtls(server, expired))))
          .contains("ssl exception", "CERTIFICATE");
    } finally {
      expiredMesh.close();
    }
  }

  @Test
  void meshWithoutIdentity_servesPlaintextEvenWhenStrict() throws IOException {
    Mesh plain = MtlsWorkloads.mesh("details", "details-v1");
    MtlsWorkloads.mode(plain, MtlsMode.STRICT);
    Server plainServer = MtlsWorkloads.echoServer(plain);
    try {
      assertThat(call(keep(MtlsWorkloads.plaintext(plainServer)))).isEmpty();
      assertUnavailable(keep(MtlsWorkloads.mtls(plainServer, client)));
    } finally {
      plainServer.shutdownNow();
      plain.close();
    }
  }

  /** Asserts the call fails with UNAVAILABLE; returns the status with its causes, for checks. */
  static String assertUnavailable(ManagedChannel channel) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(channel));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    StringBuilder all = new StringBuilder(e.getStatus().toString());
    for (Throwable t = e.getStatus().getCause(); t != null; t = t.getCause()) {
      all.append(" / ").append(t);
    }
    return all.toString();
  }
}
