package io.inboard.mesh.telemetry.internal.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AccessLogLineTest {

  /** Istio's default format, one group per operator, in its order. */
  static final Pattern ISTIO_TEXT = Pattern.compile("^\\[(?<startTime>[^\\]]+)\\] "
      + "\"(?<method>\\S+) (?<path>\\S+) (?<protocol>\\S+)\" (?<responseCode>\\d+) "
      + "(?<responseFlags>\\S+) (?<responseCodeDetails>\\S+) "
      + "(?<connectionTerminationDetails>\\S+) \"(?<upstreamTransportFailureReason>[^\"]*)\" "
      + "(?<bytesReceived>\\S+) (?<bytesSent>\\S+) (?<duration>\\S+) "
      + "(?<upstreamServiceTime>\\S+) \"(?<forwardedFor>[^\"]*)\" \"(?<userAgent>[^\"]*)\" "
      + "\"(?<requestId>[^\"]*)\" \"(?<authority>[^\"]*)\" \"(?<upstreamHost>[^\"]*)\" "
      + "(?<upstreamCluster>\\S+) (?<upstreamLocalAddress>\\S+) "
      + "(?<downstreamLocalAddress>\\S+) (?<downstreamRemoteAddress>\\S+) "
      + "(?<requestedServerName>\\S+) (?<routeName>\\S+)$");

  static final List<String> FIELDS = List.of("startTime", "method", "path", "protocol",
      "responseCode", "responseFlags", "responseCodeDetails", "connectionTerminationDetails",
      "upstreamTransportFailureReason", "bytesReceived", "bytesSent", "duration",
      "upstreamServiceTime", "forwardedFor", "userAgent", "requestId", "authority",
      "upstreamHost", "upstreamCluster", "upstreamLocalAddress", "downstreamLocalAddress",
      "downstreamRemoteAddress", "requestedServerName", "routeName");

  static final long START = Instant.parse("2026-12-06T10:00:00.123Z").toEpochMilli();

  @Test
  void text_fullClientReport_printsEveryFieldInIstiosOrder() {
    Map<String, String> f = fields(AccessLogLine.text(full()));

    assertThat(f).containsExactlyEntriesOf(expected(
        "startTime", "2026-12-06T10:00:00.123Z",
        "method", "GET",
        "path", "/reviews/0?x=1",
        "protocol", "HTTP/1.1",
        "responseCode", "503",
        "responseFlags", "UF,URX",
        "responseCodeDetails", "upstream_reset_before_response_started",
        "connectionTerminationDetails", "-",
        "upstreamTransportFailureReason", "connection_refused",
        "bytesReceived", "12",
        "bytesSent", "345",
        "duration", "42",
        "upstreamServiceTime", "40",
        "forwardedFor", "10.0.0.9",
        "userAgent", "Java-http-client/17 (test)",
        "requestId", "5b6c2a1e-0000-4000-8000-000000000001",
        "authority", "reviews:9080",
        "upstreamHost", "127.0.0.1:9081",
        "upstreamCluster", "outbound|9080|v1|reviews.default.svc.cluster.local",
        "upstreamLocalAddress", "127.0.0.1:50000",
        "downstreamLocalAddress", "127.0.0.1:9080",
        "downstreamRemoteAddress", "127.0.0.1:50001",
        "requestedServerName", "outbound_.9080_.v1_.reviews.default.svc.cluster.local",
        "routeName", "default"));
  }

  @Test
  void text_nothingKnown_printsDashesAsEnvoy() {
    RequestReport r = RequestReport.builder(Reporter.DESTINATION, Protocol.GRPC)
        .durationNanos(999_999).build();

    String line = AccessLogLine.text(r);
    Map<String, String> f = fields(line);

    assertThat(line).isEqualTo("[-] \"- - -\" 0 - - - \"-\" - - 0 - \"-\" \"-\" \"-\" \"-\""
        + " \"-\" - - - - - -");
    assertThat(f).containsEntry("responseCode", "0").containsEntry("duration", "0");
  }

  @Test
  void text_startTime_alwaysHasMilliseconds() {
    RequestReport r = RequestReport.builder(Reporter.SOURCE, Protocol.HTTP)
        .details(RequestDetails.builder()
            .startEpochMillis(Instant.parse("2026-12-06T10:00:00Z").toEpochMilli()).build())
        .build();

    assertThat(fields(AccessLogLine.text(r))).containsEntry("startTime",
        "2026-12-06T10:00:00.000Z");
  }

  @Test
  void json_fullReport_carriesIstiosKeysWithEnvoysTypes() {
    Map<String, Object> j = FlatJson.parse(AccessLogJson.of(full()));

    assertThat(j).containsExactlyEntriesOf(expectedJson(
        "authority", "reviews:9080",
        "bytes_received", 12L,
        "bytes_sent", 345L,
        "connection_termination_details", null,
        "downstream_local_address", "127.0.0.1:9080",
        "downstream_remote_address", "127.0.0.1:50001",
        "duration", 42L,
        "method", "GET",
        "path", "/reviews/0?x=1",
        "protocol", "HTTP/1.1",
        "request_id", "5b6c2a1e-0000-4000-8000-000000000001",
        "requested_server_name", "outbound_.9080_.v1_.reviews.default.svc.cluster.local",
        "response_code", 503L,
        "response_code_details", "upstream_reset_before_response_started",
        "response_flags", "UF,URX",
        "route_name", "default",
        "start_time", "2026-12-06T10:00:00.123Z",
        "upstream_cluster", "outbound|9080|v1|reviews.default.svc.cluster.local",
        "upstream_host", "127.0.0.1:9081",
        "upstream_local_address", "127.0.0.1:50000",
        "upstream_service_time", "40",
        "upstream_transport_failure_reason", "connection_refused",
        "user_agent", "Java-http-client/17 (test)",
        "x_forwarded_for", "10.0.0.9"));
  }

  @Test
  void json_unknownValuesAreNull_andTextIsEscaped() {
    RequestReport r = RequestReport.builder(Reporter.DESTINATION, Protocol.HTTP)
        .responseCode(200).details(RequestDetails.builder()
            .userAgent("a \"quoted\" \\ agent\t").build()).build();

    Map<String, Object> j = FlatJson.parse(AccessLogJson.of(r));

    assertThat(j).hasSize(24).containsEntry("user_agent", "a \"quoted\" \\ agent\t")
        .containsEntry("response_code", 200L).containsEntry("response_flags", "-")
        .containsEntry("bytes_received", null).containsEntry("start_time", null)
        .containsEntry("upstream_service_time", null).containsEntry("duration", 0L);
  }

  static Map<String, String> fields(String line) {
    Matcher m = ISTIO_TEXT.matcher(line);
    assertThat(m.matches()).as("Istio's default format: %s", line).isTrue();
    Map<String, String> f = new LinkedHashMap<>();
    FIELDS.forEach(name -> f.put(name, m.group(name)));
    return f;
  }

  static RequestReport full() {
    return RequestReport.builder(Reporter.SOURCE, Protocol.HTTP).responseCode(503)
        .responseFlags("UF,URX").durationNanos(42_700_000L).requestBytes(12)
        .responseBytes(345).details(RequestDetails.builder()
            .startEpochMillis(START).method("GET").path("/reviews/0?x=1")
            .protocolVersion("HTTP/1.1").authority("reviews:9080")
            .userAgent("Java-http-client/17 (test)")
            .requestId("5b6c2a1e-0000-4000-8000-000000000001").forwardedFor("10.0.0.9")
            .upstreamHost("127.0.0.1:9081")
            .upstreamCluster("outbound|9080|v1|reviews.default.svc.cluster.local")
            .upstreamLocalAddress("127.0.0.1:50000").downstreamLocalAddress("127.0.0.1:9080")
            .downstreamRemoteAddress("127.0.0.1:50001")
            .requestedServerName("outbound_.9080_.v1_.reviews.default.svc.cluster.local")
            .routeName("default").responseCodeDetails("upstream_reset_before_response_started")
            .upstreamTransportFailureReason("connection_refused").upstreamServiceTimeMillis(40)
            .build())
        .build();
  }

  private static Map<String, String> expected(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> expectedJson(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
