package io.inboard.mesh.controlplane.internal.model;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A resource that passed validation, with the warnings found while reading it. */
public sealed interface ParsedResource {

  ResourceId id();

  List<Diagnostic> diagnostics();

  /**
   * A VirtualService.
   *
   * @param hosts the hosts it routes, fully qualified ({@code *} wildcards kept as written)
   * @param appliesToMesh whether mesh clients use it (no {@code gateways}, or {@code mesh} among
   *     them)
   * @param gateways the Gateways it is bound to, as {@code namespace/name} ({@code mesh} left
   *     out)
   * @param http the routes in order, destinations fully qualified
   * @param extras each route's mirrors and header changes, index for index with {@code http}
   */
  record VirtualService(ResourceId id, List<String> hosts, boolean appliesToMesh,
      List<String> gateways, List<HttpRoute> http, List<RouteExtras> extras,
      List<Diagnostic> diagnostics) implements ParsedResource {
    public VirtualService {
      hosts = List.copyOf(hosts);
      gateways = List.copyOf(gateways);
      http = List.copyOf(http);
      extras = List.copyOf(extras);
      if (extras.size() != http.size()) {
        throw new IllegalArgumentException("extras: " + extras.size() + " entries (expected: "
            + http.size() + ", one per route)");
      }
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /** A DestinationRule; {@code policy.host()} is fully qualified. */
  record DestinationRule(ResourceId id, DestinationPolicy policy, List<Diagnostic> diagnostics)
      implements ParsedResource {
    public DestinationRule {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /**
   * A PeerAuthentication.
   *
   * @param selector {@code selector.matchLabels}; empty for a mesh- or namespace-wide policy
   * @param mode {@code mtls.mode} ({@link MtlsMode#UNSET} when absent)
   * @param portModes {@code portLevelMtls} by workload (target) port
   * @param created {@code metadata.creationTimestamp}, when known (Kubernetes); the oldest
   *     policy of a scope wins
   */
  record PeerAuthentication(ResourceId id, Map<String, String> selector, MtlsMode mode,
      Map<Integer, MtlsMode> portModes, Optional<Instant> created, List<Diagnostic> diagnostics)
      implements ParsedResource {
    public PeerAuthentication {
      selector = Map.copyOf(selector);
      portModes = Map.copyOf(portModes);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /**
   * A Kubernetes Secret (v1) that a DestinationRule's {@code tls.credentialName} may name. Its
   * values are never shown: {@link #toString} lists the keys only.
   *
   * @param data every key of {@code data} (decoded from base64) and {@code stringData}, the
   *     latter winning as in Kubernetes; values are text (PEM)
   */
  record Secret(ResourceId id, Map<String, String> data, List<Diagnostic> diagnostics)
      implements ParsedResource {
    public Secret {
      data = Map.copyOf(data);
      diagnostics = List.copyOf(diagnostics);
    }

    /** The value of the first of {@code keys} present. */
    public Optional<String> value(String... keys) {
      for (String k : keys) {
        if (data.containsKey(k)) {
          return Optional.of(data.get(k));
        }
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "Secret[id=" + id + ", keys=" + new java.util.TreeSet<>(data.keySet()) + "]";
    }
  }

  /**
   * An AuthorizationPolicy, served to the workloads it applies to as written (see {@code
   * SecurityPolicyWire}); the parser compiled it with the workloads' own compiler.
   *
   * @param selector {@code selector.matchLabels}; empty for a mesh- or namespace-wide policy
   * @param source the namespace, name and {@code spec} as written, as a JSON tree
   */
  record AuthorizationPolicy(ResourceId id, Map<String, String> selector, PolicySource source,
      List<Diagnostic> diagnostics) implements ParsedResource {
    public AuthorizationPolicy {
      selector = Map.copyOf(selector);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /**
   * A RequestAuthentication, served like an {@link AuthorizationPolicy}; a rule's {@code
   * jwksUri} is fetched by the control plane and sent inline.
   *
   * @param selector {@code selector.matchLabels}; empty for a mesh- or namespace-wide policy
   * @param source the namespace, name and {@code spec} as written, as a JSON tree
   */
  record RequestAuthentication(ResourceId id, Map<String, String> selector, PolicySource source,
      List<Diagnostic> diagnostics) implements ParsedResource {
    public RequestAuthentication {
      selector = Map.copyOf(selector);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /**
   * A Telemetry (telemetry.istio.io v1 or v1alpha1), served to the workloads it applies to as
   * written (see {@code TelemetryWire}); the parser compiled it with the workloads' own
   * compiler.
   *
   * @param selector {@code selector.matchLabels}; empty for a mesh- or namespace-wide one
   * @param targetServices the names of the Services of its namespace that {@code targetRef(s)}
   *     name: it applies to their workloads; empty when it has no target
   * @param source the namespace, name and {@code spec} as written, as a JSON tree
   * @param created {@code metadata.creationTimestamp}, when known: of several in one scope,
   *     the oldest applies (then by name), as in Istio
   */
  record Telemetry(ResourceId id, Map<String, String> selector, List<String> targetServices,
      TelemetrySource source, Optional<Instant> created, List<Diagnostic> diagnostics)
      implements ParsedResource {
    public Telemetry {
      selector = Map.copyOf(selector);
      targetServices = List.copyOf(targetServices);
      diagnostics = List.copyOf(diagnostics);
    }

    /** Whether it applies to a whole namespace (or, in the root namespace, the mesh). */
    public boolean namespaceWide() {
      return selector.isEmpty() && targetServices.isEmpty();
    }
  }

  /**
   * A Gateway (networking.istio.io), served to the gateway workloads it selects.
   *
   * @param selector labels a gateway workload must carry; empty selects every workload that
   *     asks for gateway listeners, as in Istio
   * @param servers every server in order, served or not (see {@link GatewayServer#served})
   */
  record Gateway(ResourceId id, Map<String, String> selector, List<GatewayServer> servers,
      List<Diagnostic> diagnostics) implements ParsedResource {
    public Gateway {
      selector = Map.copyOf(selector);
      servers = List.copyOf(servers);
      diagnostics = List.copyOf(diagnostics);
    }

    /** {@code namespace/name}, as VirtualServices name it in {@code gateways}. */
    public String qualifiedName() {
      return id.namespace() + "/" + id.name();
    }

    /** Whether a workload carrying {@code labels} is one of its gateway workloads. */
    public boolean selects(Map<String, String> labels) {
      return labels.entrySet().containsAll(selector.entrySet());
    }
  }

  /**
   * A resource of a kind Inboard stores but does not translate yet (ServiceEntry...),
   * or a security policy it stores but cannot apply (one that only targets a waypoint).
   */
  record Stored(ResourceId id, String apiVersion, List<Diagnostic> diagnostics)
      implements ParsedResource {
    public Stored {
      diagnostics = List.copyOf(diagnostics);
    }
  }
}
