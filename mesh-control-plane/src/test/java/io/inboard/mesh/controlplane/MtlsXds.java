package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the mTLS parts of served xDS, as the data planes will. */
final class MtlsXds {
  private MtlsXds() {}

  /** A node announcing {@code namespace} (none when empty) and {@code labels}. */
  static Node node(String namespace, Map<String, String> labels) {
    Struct.Builder l = Struct.newBuilder();
    labels.forEach((k, v) -> l.putFields(k, Value.newBuilder().setStringValue(v).build()));
    Struct.Builder m = Struct.newBuilder()
        .putFields("LABELS", Value.newBuilder().setStructValue(l).build());
    if (!namespace.isEmpty()) {
      m.putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build());
    }
    return Node.newBuilder().setId("test~" + namespace + "~" + labels).setMetadata(m).build();
  }

  /** The inbound listener a node of {@code namespace} and {@code labels} is served. */
  static Listener inbound(ControlPlane cp, String namespace, Map<String, String> labels)
      throws Exception {
    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), node(namespace, labels))) {
      DiscoveryResponse r = s.subscribe(RawAdsStream.LISTENER,
          List.of(MeshXdsNames.VIRTUAL_INBOUND));
      assertThat(r.getResourcesCount()).isEqualTo(1);
      return r.getResources(0).unpack(Listener.class);
    }
  }

  /**
   * The chains of {@code l} as {@code port=MODE}, {@code default=MODE} last; checks that every
   * STRICT chain, and only those, requires a client certificate.
   */
  static String modes(Listener l) throws InvalidProtocolBufferException {
    List<String> out = new ArrayList<>();
    for (FilterChain c : l.getFilterChainsList()) {
      String mode = c.getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER)
          .getFieldsOrThrow(MeshXdsNames.MTLS_MODE).getStringValue();
      assertThat(c.hasTransportSocket()).as(c.getName()).isEqualTo(mode.equals("STRICT"));
      if (c.hasTransportSocket()) {
        DownstreamTlsContext tls = c.getTransportSocket().getTypedConfig()
            .unpack(DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(tls.getCommonTlsContext().getTlsCertificateProviderInstance()
            .getInstanceName()).isEqualTo("default");
        assertThat(tls.getCommonTlsContext().getValidationContext()
            .getCaCertificateProviderInstance().getInstanceName()).isEqualTo("ROOTCA");
      }
      out.add((c.hasFilterChainMatch()
          ? String.valueOf(c.getFilterChainMatch().getDestinationPort().getValue())
          : "default") + "=" + mode);
    }
    return String.join(",", out);
  }

  /** Every resource of {@code r}, unpacked. */
  static <T extends Message> List<T> resources(DiscoveryResponse r, Class<T> type)
      throws InvalidProtocolBufferException {
    List<T> out = new ArrayList<>();
    for (Any a : r.getResourcesList()) {
      out.add(a.unpack(type));
    }
    return out;
  }

  /** The clusters served to a node without labels. */
  static Map<String, Cluster> clusters(ControlPlane cp) throws Exception {
    try (RawAdsStream s = RawAdsStream.open(cp.xdsAddress(), node("", Map.of()))) {
      Map<String, Cluster> out = new java.util.TreeMap<>();
      for (Cluster c : resources(s.subscribe(RawAdsStream.CLUSTERS, List.of()), Cluster.class)) {
        out.put(c.getName(), c);
      }
      return out;
    }
  }

  /** {@code tlsMode} and whether auto-mTLS chose it: {@code ISTIO_MUTUAL auto}. */
  static String tls(Cluster c) {
    Struct m = c.getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER);
    String mode = m.getFieldsOrThrow(MeshXdsNames.TLS_MODE).getStringValue();
    assertThat(c.hasTransportSocket()).as(c.getName()).isEqualTo(!mode.equals("DISABLE"));
    return mode + (m.getFieldsOrThrow(MeshXdsNames.AUTO_MTLS).getBoolValue() ? " auto" : "");
  }

  static UpstreamTlsContext upstream(Cluster c) throws InvalidProtocolBufferException {
    assertThat(c.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
    return c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
  }

  /** The exact SANs an upstream context accepts. */
  static List<String> sans(Cluster c) throws InvalidProtocolBufferException {
    return upstream(c).getCommonTlsContext().getValidationContext()
        .getMatchSubjectAltNamesList().stream().map(m -> m.getExact()).toList();
  }
}
