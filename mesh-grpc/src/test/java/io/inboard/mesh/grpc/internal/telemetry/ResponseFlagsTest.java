package io.inboard.mesh.grpc.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.internal.telemetry.ResponseFlag;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per flag: the status a call closes with, as grpc-java 1.85.1 and Inboard make it. */
class ResponseFlagsTest {

  private static final ServiceName REVIEWS = ServiceName.of("reviews", "default");
  private static final int UNAVAILABLE_BIT = 1 << Status.Code.UNAVAILABLE.value();

  static Stream<Arguments> localFailures() {
    return Stream.of(
        Arguments.of("UH", refused(Reason.NO_READY_ENDPOINTS), false),
        Arguments.of("UH", refused(Reason.NOT_YET_DISCOVERED), false),
        Arguments.of("UH", Status.UNAVAILABLE.withDescription(
            "No usable endpoint from cluster: outbound|9080||reviews.default.svc.cluster.local"),
            false),
        Arguments.of("UH", Status.UNAVAILABLE.withDescription("Error retrieving EDS resource"
            + " outbound|9080||reviews.default.svc.cluster.local nodeID: n: NOT_FOUND"), false),
        Arguments.of("NR", refused(Reason.SERVICE_NOT_FOUND), false),
        Arguments.of("NR", refused(Reason.PORT_NOT_FOUND), false),
        Arguments.of("NR", Status.UNAVAILABLE.withDescription(
            "Could not find xDS route matching RPC"), false),
        Arguments.of("NR", Status.UNAVAILABLE.withDescription(
            "Failed to find virtual host matching hostname: reviews:9080"), false),
        Arguments.of("NR", Status.UNAVAILABLE.withDescription("xDS listener 'reviews:9080' (or"
            + " the routes and clusters it names) not received from control plane cp within 10s"),
            false),
        Arguments.of("NC", Status.UNAVAILABLE.withDescription("Error retrieving CDS resource"
            + " outbound|9080||ratings.default.svc.cluster.local nodeID: n: NOT_FOUND: Resource"
            + " does not exist"), false),
        Arguments.of("UO", refused(Reason.CIRCUIT_OPEN), false),
        Arguments.of("UO", Status.UNAVAILABLE.withDescription(
            "Cluster max concurrent requests limit of 1 exceeded"), false),
        Arguments.of("FI", Status.UNAVAILABLE.withDescription(
            "RPC terminated due to fault injection"), false),
        Arguments.of("FI", Status.PERMISSION_DENIED.withDescription(
            "RPC terminated due to fault injection: HTTP status code 403"), false),
        Arguments.of("UT", Status.DEADLINE_EXCEEDED.withDescription(
            "deadline exceeded after 0.299s"), true),
        Arguments.of("UT,DI", Status.DEADLINE_EXCEEDED.withDescription(
            "Deadline exceeded after up to 30000000000 ns of fault-injected delay"), false),
        Arguments.of("UR", Status.CANCELLED.withDescription(
            "RST_STREAM closed stream. HTTP/2 error code: CANCEL"), true),
        Arguments.of("UR", Status.INTERNAL.withDescription(
            "RST_STREAM closed stream. HTTP/2 error code: PROTOCOL_ERROR"), true),
        Arguments.of("DC", Status.CANCELLED.withDescription("the user went away"), true),
        Arguments.of("UC", Status.UNAVAILABLE.withDescription(
            "Network closed for unknown reason"), true),
        Arguments.of("UF", Status.UNAVAILABLE.withDescription("io exception")
            .withCause(new ConnectException("Connection refused")), false),
        Arguments.of("UF", refused(Reason.TLS_UNAVAILABLE), false));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("localFailures")
  void localFailure_getsEnvoysFlag(String flags, Status status, boolean onConnection) {
    assertThat(ResponseFlag.text(ResponseFlags.client(status, false, onConnection, 0)))
        .isEqualTo(flags);
  }

  @Test
  void statusFromTheServer_hasNoFlag_evenWhenItLooksLocal() {
    assertThat(ResponseFlag.text(ResponseFlags.client(
        Status.DEADLINE_EXCEEDED, true, true, 0))).isEqualTo("-");
    assertThat(ResponseFlag.text(ResponseFlags.client(Status.OK, true, true, 0)))
        .isEqualTo("-");
  }

  @Test
  void lastAttemptFailingAsAnEarlierOne_addsURX() {
    assertThat(ResponseFlag.text(ResponseFlags.client(
        Status.UNAVAILABLE, true, true, UNAVAILABLE_BIT))).isEqualTo("URX");
    assertThat(ResponseFlag.text(ResponseFlags.client(
        Status.UNAVAILABLE.withDescription("io exception"), false, false, UNAVAILABLE_BIT)))
        .isEqualTo("UF,URX");
  }

  @Test
  void lastAttemptFailingOtherwiseThanTheRetriedOnes_isNotURX() {
    assertThat(ResponseFlag.text(ResponseFlags.client(
        Status.INTERNAL, true, true, UNAVAILABLE_BIT))).isEqualTo("-");
    assertThat(ResponseFlag.text(ResponseFlags.client(
        Status.OK, true, true, UNAVAILABLE_BIT))).isEqualTo("-");
  }

  @Test
  void server_isDCOnlyWhenTheClientCancelled() {
    assertThat(ResponseFlag.text(ResponseFlags.server(true))).isEqualTo("DC");
    assertThat(ResponseFlag.text(ResponseFlags.server(false))).isEqualTo("-");
  }

  @Test
  void text_joinsInEnvoysOrder() {
    int flags = ResponseFlag.URX.bit() | ResponseFlag.UF.bit() | ResponseFlag.UH.bit();
    assertThat(ResponseFlag.text(flags)).isEqualTo("UH,UF,URX");
  }

  private static Status refused(Reason reason) {
    ServiceUnavailableException e = new ServiceUnavailableException(REVIEWS, reason, null);
    return Status.UNAVAILABLE.withDescription(e.getMessage()).withCause(e);
  }
}
