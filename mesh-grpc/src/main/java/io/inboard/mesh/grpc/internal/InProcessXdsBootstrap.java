package io.inboard.mesh.grpc.internal;

import io.grpc.NameResolverProvider;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;

/**
 * The one place that touches grpc-xds's bootstrap machinery. grpc-xds reads its default
 * bootstrap (file or environment variable) once per JVM; a resolver built here carries its own
 * bootstrap instead, so each channel can talk to its own control plane without any file.
 */
public final class InProcessXdsBootstrap {
  private InProcessXdsBootstrap() {}

  /**
   * A resolver for {@code <scheme>:///} targets that fetches config from {@code servers} (tried in
   * order), announcing itself as {@code nodeId} with {@code metadata}.
   */
  public static NameResolverProvider resolver(String scheme, List<String> servers, String nodeId,
      Map<String, String> metadata) {
    List<Map<String, Object>> xdsServers = servers.stream()
        .map(uri -> Map.<String, Object>of(
            // an explicit scheme: mesh-grpc's k8s resolver is the registry's default scheme,
            // and would otherwise resolve the control plane's address
            "server_uri", uri.contains(":///") ? uri : "dns:///" + uri,
            "channel_creds", List.of(Map.of("type", "insecure")),
            "server_features", List.of("xds_v3")))
        .toList();
    Map<String, Object> bootstrap = Map.of(
        "xds_servers", xdsServers,
        "node", Map.of("id", nodeId, "metadata", metadata));
    // createForTest is grpc-xds's only public way to hand a resolver its own bootstrap
    return XdsNameResolverProvider.createForTest(scheme, bootstrap);
  }
}
