package io.inboard.mesh.http.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseFlagsTest {

  private static final ServiceName REVIEWS = ServiceName.of("reviews", "default", 9080);

  @Test
  void text_joinsFlagsInEnvoysOrder_orDashForNone() {
    assertThat(ResponseFlags.text(0)).isEqualTo("-");
    assertThat(ResponseFlags.text(ResponseFlags.FI | ResponseFlags.DI)).isEqualTo("DI,FI");
    assertThat(ResponseFlags.text(ResponseFlags.URX | ResponseFlags.UF)).isEqualTo("UF,URX");
    assertThat(ResponseFlags.text(ResponseFlags.NC)).isEqualTo("NC");
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new ServiceUnavailableException(REVIEWS, Reason.OVERLOADED, "x"), "UO", 503),
        Arguments.of(new ServiceUnavailableException(REVIEWS, Reason.CIRCUIT_OPEN, "x"), "UO",
            503),
        Arguments.of(new ServiceUnavailableException(REVIEWS, Reason.NO_READY_ENDPOINTS, "x"),
            "UH", 503),
        Arguments.of(new ServiceUnavailableException(REVIEWS, Reason.SERVICE_NOT_FOUND, "x"),
            "NC", 503),
        Arguments.of(new ServiceUnavailableException(REVIEWS, Reason.TLS_UNAVAILABLE, "x"), "UF",
            503),
        Arguments.of(new CompletionException(new ConnectException("refused")), "UF", 503),
        Arguments.of(new HttpConnectTimeoutException("connect timed out"), "UF", 503),
        Arguments.of(new HttpTimeoutException("request timed out"), "UT", 504),
        Arguments.of(new IOException("Connection reset"), "UR", 503),
        Arguments.of(new IOException("EOF reached while reading"), "UC", 503),
        Arguments.of(new CancellationException(), "DC", 0),
        Arguments.of(new IllegalArgumentException("bad header"), "-", 0));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("failures")
  void failureWithoutResponse_readsAsEnvoysLocalReply(Throwable failure, String flags,
      int status) {
    ResponseFlags.Reply r = ResponseFlags.of(failure);
    assertThat(ResponseFlags.text(r.flag())).isEqualTo(flags);
    assertThat(r.status()).isEqualTo(status);
  }
}
