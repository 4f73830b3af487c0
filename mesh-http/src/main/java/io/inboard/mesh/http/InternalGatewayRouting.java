package io.inboard.mesh.http;

import io.inboard.mesh.http.internal.telemetry.ResponseFlags;
import io.inboard.mesh.http.internal.xds.XdsHttp;

/**
 * For Inboard's ingress gateway, not for applications (it may change in any release): the
 * xDS engine of a mesh HTTP client, whose route configs and listeners the gateway serves.
 */
public final class InternalGatewayRouting {
  private InternalGatewayRouting() {}

  /**
   * The xDS router of {@code client}.
   *
   * @throws IllegalStateException if the client's mesh is not in xDS mode
   */
  public static XdsHttp xds(MeshHttpClient client) {
    return client.core().xds();
  }

  /**
   * Envoy's local reply for a call that ended with {@code failure} and no response.
   *
   * @param status the reply's status (504 for a timeout, 503 otherwise)
   * @param body Envoy's body text, e.g. {@code upstream request timeout}
   */
  public record LocalReply(int status, String body, String details) {}

  /** The local reply Envoy sends downstream for {@code failure}. */
  public static LocalReply localReply(Throwable failure) {
    ResponseFlags.Reply r = ResponseFlags.of(failure);
    int status = r.status() == 0 ? 503 : r.status();
    String body;
    if (r.flag() == ResponseFlags.UT) {
      body = "upstream request timeout";
    } else if (r.flag() == ResponseFlags.UH) {
      body = "no healthy upstream";
    } else if (r.flag() == ResponseFlags.NC) {
      body = "";
    } else if (r == ResponseFlags.LOCAL_ERROR) {
      body = "local error";
    } else {
      String d = r.details();
      int brace = d.indexOf('{');
      body = "upstream connect error or disconnect/reset before headers. reset reason: "
          + (brace < 0 ? d : d.substring(brace + 1, d.length() - 1).replace('_', ' '));
    }
    return new LocalReply(status, body, r.details());
  }
}
