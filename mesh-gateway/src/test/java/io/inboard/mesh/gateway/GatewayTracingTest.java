package io.inboard.mesh.gateway;

import static io.inboard.mesh.gateway.GatewayRig.REVIEWS;
import static io.inboard.mesh.gateway.GatewayXds.host;
import static io.inboard.mesh.gateway.GatewayXds.prefix;
import static io.inboard.mesh.gateway.GatewayXds.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.MeshHealthMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each downstream request gets a SERVER span continuing the client's trace, and the upstream
 * call's span is its child, as behind Envoy's ingress.
 */
class GatewayTracingTest {

  static final List<RequestContext> serverInbound = new CopyOnWriteArrayList<>();
  static final List<RequestReport> serverEnded = new CopyOnWriteArrayList<>();
  static final List<RequestContext> callParents = new CopyOnWriteArrayList<>();
  static GatewayRig rig;

  @BeforeAll
  static void start() throws Exception {
    rig = new GatewayRig(new RecordingTelemetry());
    rig.serve(routes("http.t", host("all", "*").addRoutes(prefix("/", REVIEWS)).build()));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
        rig.get("t.example.com", "/warm").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void theUpstreamCallIsAChildOfTheDownstreamRequestsServerSpan() throws Exception {
    serverInbound.clear();
    serverEnded.clear();
    callParents.clear();
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertThat(rig.get("t.example.com", "/traced", "traceparent", traceparent,
        "x-request-id", "req-1").statusCode()).isEqualTo(200);
    // the warm-up request's span may end after its response reached the client: wait for ours
    await().atMost(Duration.ofSeconds(10)).until(() -> serverEnded.stream()
        .anyMatch(r -> r.details().path().equals("/traced")));
    serverEnded.removeIf(r -> !r.details().path().equals("/traced"));
    assertThat(serverInbound).singleElement().satisfies(c -> {
      assertThat(c.header("traceparent")).isEqualTo(traceparent);
      assertThat(c.requestId()).isEqualTo("req-1");
    });
    assertThat(callParents).singleElement()
        .satisfies(p -> assertThat(p.header("x-test-span")).isEqualTo("gateway-server"));
    assertThat(serverEnded.get(0).responseCode()).isEqualTo(200);
    assertThat(serverEnded.get(0).details().path()).isEqualTo("/traced");
  }

  /** Records server spans and the parents of call spans. */
  static final class RecordingTelemetry implements MeshTelemetry {
    private final MeshTracing tracing = new MeshTracing() {
      @Override
      public ServerSpan startServer(String name, Protocol protocol, RequestContext inbound) {
        serverInbound.add(inbound);
        return new ServerSpan() {
          @Override
          public RequestContext context() {
            return new RequestContext(Map.of("x-test-span", "gateway-server"));
          }

          @Override
          public void end(RequestReport report) {
            serverEnded.add(report);
          }
        };
      }

      @Override
      public CallSpan startCall(String name, Protocol protocol, RequestContext parent) {
        callParents.add(parent);
        return CallSpan.NOOP;
      }
    };

    @Override
    public MeshMetrics metrics() {
      return MeshMetrics.NOOP;
    }

    @Override
    public MeshTracing tracing() {
      return tracing;
    }

    @Override
    public MeshHealthMetrics health() {
      return MeshHealthMetrics.NOOP;
    }

    @Override
    public void configure(TelemetryPolicy policy) {}

    @Override
    public TelemetryPolicy policy() {
      return TelemetryPolicy.DEFAULT;
    }

    @Override
    public Set<String> capturedHeaders() {
      return Set.of();
    }

    @Override
    public Optional<InetSocketAddress> adminAddress() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }
}
