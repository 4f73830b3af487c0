package io.inboard.mesh.grpc.internal.k8s;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.inboard.mesh.api.discovery.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns discovered endpoints into gRPC address groups, one group per endpoint. */
final class EndpointAddresses {

  /** The backing pod's name, {@code ""} when unknown. */
  static final Attributes.Key<String> POD_NAME = Attributes.Key.create("inboard.podName");

  /** The backing pod's labels, empty when unknown. */
  static final Attributes.Key<Map<String, String>> LABELS =
      Attributes.Key.create("inboard.labels");

  private EndpointAddresses() {}

  /** One group per endpoint, carrying pod name, labels and zone (as the locality name). */
  static List<EquivalentAddressGroup> of(List<Endpoint> endpoints) {
    List<EquivalentAddressGroup> groups = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints) {
      Attributes.Builder attrs = Attributes.newBuilder()
          .set(POD_NAME, e.podName())
          .set(LABELS, e.labels());
      if (!e.zone().isEmpty()) {
        attrs.set(EquivalentAddressGroup.ATTR_LOCALITY_NAME, e.zone());
      }
      // Endpoints carry IPs; createUnresolved would make Netty do a DNS lookup per connect.
      InetSocketAddress address = new InetSocketAddress(e.address(), e.port());
      groups.add(new EquivalentAddressGroup(address, attrs.build()));
    }
    return groups;
  }
}
