package io.inboard.mesh.api.internal.telemetry;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Istio's peer-metadata exchange headers, so that Envoy sidecars and Inboard read each other's
 * workload labels: {@value #HEADER} is a base64 protobuf {@code google.protobuf.Struct} with
 * Istio's node-metadata keys ({@code NAME}, {@code NAMESPACE}, {@code WORKLOAD_NAME},
 * {@code CLUSTER_ID}, {@code LABELS} with {@code app}, {@code version},
 * {@code service.istio.io/canonical-name}, {@code service.istio.io/canonical-revision}), and
 * {@value #ID_HEADER} the node id. Every outbound call sends the caller's, every inbound hook
 * answers with the server's; values are computed once per workload.
 */
public final class EnvoyPeerMetadata {

  /** The metadata header. */
  public static final String HEADER = "x-envoy-peer-metadata";

  /** The node-id header. */
  public static final String ID_HEADER = "x-envoy-peer-metadata-id";

  /** Distinct header values kept decoded; a workload talks to a few dozen peers. */
  private static final int MAX_CACHED = 4096;
  private static final Map<String, PeerIdentity> DECODED = new ConcurrentHashMap<>();

  private EnvoyPeerMetadata() {}

  /** {@code identity} as a {@value #HEADER} value. */
  public static String encode(PeerIdentity identity) {
    Map<String, Object> labels = new LinkedHashMap<>();
    putKnown(labels, "app", identity.app());
    putKnown(labels, "version", identity.version());
    putKnown(labels, CANONICAL_NAME, identity.canonicalService());
    putKnown(labels, CANONICAL_REVISION, identity.canonicalRevision());
    Map<String, Object> fields = new LinkedHashMap<>();
    putKnown(fields, "NAME", identity.workload());
    putKnown(fields, "NAMESPACE", identity.namespace());
    putKnown(fields, "WORKLOAD_NAME", identity.workload());
    putKnown(fields, "CLUSTER_ID", identity.cluster());
    fields.put("LABELS", labels);
    return Base64.getEncoder().encodeToString(StructWire.encode(fields));
  }

  /**
   * {@code identity}'s node id as Istio writes it:
   * {@code sidecar~<ip>~<workload>.<namespace>~<namespace>.svc.cluster.local}.
   */
  public static String id(PeerIdentity identity, String ip) {
    return "sidecar~" + ip + "~" + identity.workload() + "." + identity.namespace() + "~"
        + identity.namespace() + ".svc.cluster.local";
  }

  /**
   * The identity a {@value #HEADER} value states; {@link PeerIdentity#UNKNOWN} for {@code null}
   * or a value that is not such a Struct (never throws). The workload is {@code WORKLOAD_NAME},
   * else {@code NAME}; labels fall back as Istio's ({@code app.kubernetes.io/name},
   * {@code app.kubernetes.io/version}).
   */
  public static PeerIdentity decode(String header) {
    if (header == null || header.isEmpty()) {
      return PeerIdentity.UNKNOWN;
    }
    // A peer sends the same value on every call: decode each distinct value once.
    PeerIdentity cached = DECODED.get(header);
    if (cached != null) {
      return cached;
    }
    PeerIdentity decoded = parse(header);
    if (DECODED.size() >= MAX_CACHED) {
      DECODED.clear(); // a mesh has far fewer distinct peers; this only bounds abuse
    }
    DECODED.put(header, decoded);
    return decoded;
  }

  private static PeerIdentity parse(String header) {
    Map<String, Object> fields;
    try {
      fields = StructWire.decode(Base64.getDecoder().decode(header.trim()));
    } catch (IllegalArgumentException e) {
      return PeerIdentity.UNKNOWN;
    }
    String workload = text(fields.get("WORKLOAD_NAME"));
    if (workload == null) {
      workload = text(fields.get("NAME"));
    }
    String namespace = text(fields.get("NAMESPACE"));
    if (workload == null && namespace == null) {
      return PeerIdentity.UNKNOWN;
    }
    Map<?, ?> labels = fields.get("LABELS") instanceof Map<?, ?> m ? m : Map.of();
    String app = first(text(labels.get("app")), text(labels.get("app.kubernetes.io/name")));
    String version =
        first(text(labels.get("version")), text(labels.get("app.kubernetes.io/version")));
    return new PeerIdentity(workload, namespace, app, version,
        first(text(labels.get(CANONICAL_NAME)), app, workload),
        first(text(labels.get(CANONICAL_REVISION)), version),
        text(fields.get("CLUSTER_ID")));
  }

  private static final String CANONICAL_NAME = "service.istio.io/canonical-name";
  private static final String CANONICAL_REVISION = "service.istio.io/canonical-revision";

  private static void putKnown(Map<String, Object> map, String key, String value) {
    if (!PeerIdentity.UNKNOWN_VALUE.equals(value)) {
      map.put(key, value);
    }
  }

  private static String text(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /**
   * The peer named by the headers of a request or response: {@value #HEADER} when present and
   * readable, else Inboard's {@link PeerIdentity#HEADER}, else {@link PeerIdentity#UNKNOWN}.
   */
  public static PeerIdentity read(String envoyHeader, String inboardHeader) {
    PeerIdentity p = envoyHeader == null ? PeerIdentity.UNKNOWN : decode(envoyHeader);
    return p != PeerIdentity.UNKNOWN ? p : PeerIdentity.parse(inboardHeader);
  }
}
