package io.inboard.mesh.controlplane.internal.ads;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inboard.mesh.api.internal.NodeMetadataKeys;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.internal.model.Hosts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a workload announces in its xDS node metadata. The keys, defined in
 * {@link NodeMetadataKeys}, are the contract with mesh-xds's {@code XdsNode}: {@code NAMESPACE},
 * {@code WORKLOAD_NAME}, {@code SERVICE_ACCOUNT}, {@code LABELS}
 * (struct of strings), {@code INSTANCE_IPS} (comma-separated, the first is used),
 * {@code INBOARD_SERVICE} (short name, resolved in {@code NAMESPACE}) and {@code INBOARD_PORTS}
 * (struct: port name to number, as a number or a string) and {@code INBOARD_ZONE} (the
 * topology zone its endpoints are placed in; the node metadata rather than the node's
 * {@code locality}, because every other fact a workload announces travels there too) and
 * {@code INBOARD_ADMIN_ADDRESS} ({@code host:port} of its admin server, which the service
 * graph scrapes). Values that cannot be used are kept
 * as {@link #problems()} rather than failing the stream: a workload with a bad port still gets
 * its config.
 *
 * @param service the fully qualified service, {@code ""} for a pure client
 * @param adminAddress {@code host:port} of its admin server, {@code ""} when it announced none
 */
public record WorkloadMetadata(String namespace, String name, String serviceAccount,
    Map<String, String> labels, String address, String service, Map<String, Integer> ports,
    List<String> problems, String zone, String adminAddress) {

  public WorkloadMetadata {
    labels = Map.copyOf(labels);
    ports = Map.copyOf(ports);
    problems = List.copyOf(problems);
  }

  /** Reads {@code metadata}; a namespace it does not name is {@code defaultNamespace}. */
  public static WorkloadMetadata read(Struct metadata, String defaultNamespace,
      String clusterDomain) {
    List<String> problems = new ArrayList<>();
    Map<String, Value> m = metadata.getFieldsMap();
    String namespace = string(m, NodeMetadataKeys.NAMESPACE, problems);
    namespace = namespace.isEmpty() ? defaultNamespace : namespace;
    Map<String, String> labels = new TreeMap<>();
    struct(m, NodeMetadataKeys.LABELS, problems).forEach((k, v) -> {
      if (v.hasStringValue()) {
        labels.put(k, v.getStringValue());
      } else {
        problems.add("LABELS." + k + ": " + text(v) + " (expected: a string)");
      }
    });
    String ips = string(m, NodeMetadataKeys.INSTANCE_IPS, problems);
    String address = ips.split(",")[0].trim();
    String shortService = string(m, NodeMetadataKeys.SERVICE, problems);
    Map<String, Integer> ports = new LinkedHashMap<>();
    struct(m, NodeMetadataKeys.PORTS, problems).forEach((k, v) -> port(k, v, problems)
        .ifPresent(p -> ports.put(k, p)));
    String service = "";
    if (!shortService.isEmpty()) {
      service = Hosts.fqdn(shortService, namespace, clusterDomain);
      if (address.isEmpty()) {
        problems.add("INSTANCE_IPS: missing (expected: the workload's IP address, to register "
            + service + ")");
      }
      if (ports.isEmpty() && !m.containsKey(NodeMetadataKeys.PORTS)) {
        problems.add("INBOARD_PORTS: missing (expected: a struct of port name to number, to"
            + " register " + service + ")");
      }
    }
    return new WorkloadMetadata(namespace, string(m, NodeMetadataKeys.WORKLOAD_NAME, problems),
        string(m, NodeMetadataKeys.SERVICE_ACCOUNT, problems), labels, address, service, ports,
        problems, string(m, NodeMetadataKeys.ZONE, problems), adminAddress(m, problems));
  }

  /**
   * One endpoint per announced port, with the workload's labels and service account; none for a
   * pure client or without an address. The announced port is both the service port and the
   * target port: with no Service object to map them, clients call the port the workload
   * listens on.
   */
  public List<ServiceEndpoint> endpoints() {
    if (service.isEmpty() || address.isEmpty()) {
      return List.of();
    }
    return ports.values().stream().distinct().sorted()
        .map(p -> new ServiceEndpoint(service, p, address, p, labels, serviceAccount, zone))
        .toList();
  }

  private static String adminAddress(Map<String, Value> m, List<String> problems) {
    String address = string(m, NodeMetadataKeys.ADMIN_ADDRESS, problems);
    int colon = address.lastIndexOf(':');
    if (address.isEmpty() || (colon > 0 && address.substring(colon + 1).matches("\\d{1,5}"))) {
      return address;
    }
    problems.add(NodeMetadataKeys.ADMIN_ADDRESS + ": '" + address
        + "' (expected: host:port of the admin server)");
    return "";
  }

  private static String string(Map<String, Value> m, String key, List<String> problems) {
    Value v = m.get(key);
    if (v == null) {
      return "";
    }
    if (!v.hasStringValue()) {
      problems.add(key + ": " + text(v) + " (expected: a string)");
      return "";
    }
    return v.getStringValue().trim();
  }

  private static Map<String, Value> struct(Map<String, Value> m, String key,
      List<String> problems) {
    Value v = m.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!v.hasStructValue()) {
      problems.add(key + ": " + text(v) + " (expected: a struct)");
      return Map.of();
    }
    return new TreeMap<>(v.getStructValue().getFieldsMap());
  }

  private static java.util.Optional<Integer> port(String name, Value v, List<String> problems) {
    String raw = v.hasNumberValue() ? numberText(v.getNumberValue())
        : v.hasStringValue() ? v.getStringValue().trim() : "";
    if (raw.matches("\\d{1,5}") && Integer.parseInt(raw) >= 1 && Integer.parseInt(raw) <= 65535) {
      return java.util.Optional.of(Integer.parseInt(raw));
    }
    problems.add("INBOARD_PORTS." + name + ": " + text(v) + " (expected: a port 1..65535)");
    return java.util.Optional.empty();
  }

  private static String numberText(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A value as a person would write it, for messages. */
  private static String text(Value v) {
    return switch (v.getKindCase()) {
      case STRING_VALUE -> "'" + v.getStringValue() + "'";
      case NUMBER_VALUE -> numberText(v.getNumberValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case NULL_VALUE, KIND_NOT_SET -> "null";
      case STRUCT_VALUE -> "a struct";
      case LIST_VALUE -> "a list";
    };
  }
}
