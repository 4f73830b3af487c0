package io.inboard.mesh.controlplane.internal.translate;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.util.List;
import java.util.Map;

/**
 * What one translation built that the next may keep (see {@link XdsTranslator}): the clusters
 * of each service port, built with {@code globals}; each service port's listener; the mesh
 * routes of each caller label set and the inbound listeners built so far (the maps are filled
 * as callers ask). Holds nothing of the translation before it.
 */
record KeptResources(ClusterGlobals globals,
    Map<ServicePort, MeshClusters.ServiceClusters> clusters,
    Map<ServicePort, Listener> listeners, Map<Map<String, String>, MeshRoutes> routes,
    Map<InboundListener.Inputs, Listener> inbound) {

  /** Before the first translation: nothing to keep. */
  static final KeptResources NOTHING = new KeptResources(null, Map.of(), Map.of(), Map.of(),
      Map.of());

  /**
   * What every service's clusters read besides its own endpoints and DestinationRule: the
   * PeerAuthentications (auto-mTLS) and the Secrets (a rule's {@code credentialName}).
   */
  record ClusterGlobals(List<ParsedResource.PeerAuthentication> peerAuthentications,
      Map<ResourceId, ParsedResource.Secret> secrets) {}
}
