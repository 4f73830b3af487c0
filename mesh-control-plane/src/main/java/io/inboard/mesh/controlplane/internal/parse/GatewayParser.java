package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.GatewayHost;
import io.inboard.mesh.controlplane.internal.model.GatewayServer;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.ServerTls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a Gateway's {@code spec} as Istio's {@code ValidateGateway} does. Servers
 * the gateway cannot serve (TCP and TLS routes, TLS passthrough, ISTIO_MUTUAL, OPTIONAL_MUTUAL)
 * are kept, marked not served, with a warning.
 */
public final class GatewayParser {
  /** The protocols Istio accepts on a Gateway port, upper case. */
  static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB",
      "TLS", "TCP", "MONGO", "REDIS", "MYSQL");
  /** The protocols served as plaintext HTTP. */
  private static final Set<String> PLAINTEXT_HTTP = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final ResourceId id;
  private final Warnings warnings;

  GatewayParser(ResourceId id) {
    this.id = id;
    this.warnings = new Warnings(id);
  }

  ParsedResource.Gateway parse(Node spec) {
    if (!DNS_LABEL.matcher(id.name()).matches()) {
      throw new FieldException("metadata.name", "'" + id.name() + "' (expected: a DNS-1123"
          + " label: lower-case letters, digits and '-', no dots, as Istio requires of Gateway"
          + " names)");
    }
    IstioFields.GATEWAY.check(spec, warnings);
    Map<String, String> selector = spec.get("selector").stringMap();
    List<Node> serverNodes = spec.get("servers").list();
    if (serverNodes.isEmpty()) {
      throw spec.get("servers").fail("at least one server");
    }
    List<GatewayServer> servers = new ArrayList<>();
    Map<String, Node> portNames = new HashMap<>();
    for (int i = 0; i < serverNodes.size(); i++) {
      GatewayServer s = server(i, serverNodes.get(i));
      Node nameNode = serverNodes.get(i).get("port").get("name");
      Node other = portNames.putIfAbsent(s.portName(), nameNode);
      if (other != null) {
        throw nameNode.fail("a port name no other server of this Gateway uses (" + other.path()
            + " has it)");
      }
      for (GatewayServer earlier : servers) {
        if (earlier.port() == s.port() && !family(earlier).equals(family(s))) {
          throw serverNodes.get(i).get("port").get("protocol").fail("a protocol that can share"
              + " port " + s.port() + " with spec.servers[" + earlier.index() + "] ("
              + earlier.protocol() + "): HTTP, HTTP2, GRPC and GRPC-WEB together, HTTPS and TLS"
              + " together, or the same protocol");
        }
      }
      servers.add(s);
    }
    return new ParsedResource.Gateway(id, selector, servers, warnings.list());
  }

  private GatewayServer server(int index, Node s) {
    IstioFields.SERVER.check(s, warnings);
    Node port = s.get("port");
    if (!port.present()) {
      throw port.fail("a port with number, name and protocol");
    }
    IstioFields.SERVER_PORT.check(port, warnings);
    if (!port.get("number").present()) {
      throw port.get("number").fail("an integer 1..65535");
    }
    int number = port.get("number").integer(1, 65535, 0);
    String name = port.get("name").optString().orElse("");
    if (name.isEmpty()) {
      throw port.get("name").fail("a port name, unique within the Gateway");
    }
    Node protocolNode = port.get("protocol");
    String protocol = protocolNode.optString().orElse("").toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      throw protocolNode.fail("one of HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TLS, TCP, MONGO,"
          + " REDIS, MYSQL");
    }
    List<GatewayHost> hosts = new ArrayList<>();
    for (Node h : s.get("hosts").list()) {
      hosts.add(host(h));
    }
    if (hosts.isEmpty()) {
      throw s.get("hosts").fail("at least one host, [namespace/]dnsName");
    }
    boolean plaintext = PLAINTEXT_HTTP.contains(protocol);
    boolean tlsProtocol = protocol.equals("HTTPS") || protocol.equals("TLS");
    Node tlsNode = s.get("tls");
    if (tlsProtocol && !tlsNode.present()) {
      throw tlsNode.fail("TLS settings, which protocol " + protocol + " requires");
    }
    if (!plaintext && !tlsProtocol && tlsNode.present()) {
      throw tlsNode.fail("no TLS settings on a " + protocol + " port (use protocol TLS)");
    }
    Optional<ServerTls> tls = tlsNode.present()
        ? Optional.of(ServerTlsParser.parse(tlsNode, plaintext, warnings)) : Optional.empty();
    if (tls.isPresent() && tls.get().httpsRedirect() && !plaintext) {
      warnings.add(tlsNode.get("httpsRedirect").path(), "has no effect on a " + protocol
          + " server: its requests already use TLS");
    }
    boolean served = served(s.path(), protocol, tls);
    return new GatewayServer(index, number, name, protocol, hosts, tls, served);
  }

  /** Whether the gateway serves it; warns when not. */
  private boolean served(String path, String protocol, Optional<ServerTls> tls) {
    if (PLAINTEXT_HTTP.contains(protocol)) {
      return true;
    }
    if (protocol.equals("HTTPS") && tls.orElseThrow().mode().terminates()) {
      return true;
    }
    if (protocol.equals("HTTPS")) {
      warnings.add(path + ".tls.mode", "not served: the gateway terminates TLS with modes"
          + " SIMPLE and MUTUAL only; " + tls.get().mode() + " is not served, so this server"
          + " gets no listener");
    } else {
      warnings.add(path + ".port.protocol", "not served: the gateway serves HTTP routes only"
          + " (HTTP, HTTP2, GRPC, HTTPS); " + protocol + " servers get no listener");
    }
    return false;
  }

  /** {@code [namespace/]dnsName}, checked as Istio's gateway host validation does. */
  private GatewayHost host(Node h) {
    String text = h.string();
    String namespace = GatewayHost.ANY_NAMESPACE;
    String dns = text;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      namespace = text.substring(0, slash);
      dns = text.substring(slash + 1);
      if (namespace.equals(".")) {
        namespace = id.namespace();
      } else if (!namespace.equals("*") && !DNS_LABEL.matcher(namespace).matches()) {
        throw h.fail("[namespace/]dnsName whose namespace is *, . or a namespace name");
      }
    }
    if (!validDnsName(dns.toLowerCase(Locale.ROOT))) {
      throw h.fail("[namespace/]dnsName whose dnsName is *, a DNS name, or a DNS name whose"
          + " left-most label is * (*.example.com)");
    }
    return new GatewayHost(namespace, dns);
  }

  private static boolean validDnsName(String dns) {
    if (dns.equals("*")) {
      return true;
    }
    if (dns.isEmpty() || dns.length() > 255) {
      return false;
    }
    String[] labels = dns.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      boolean wildcard = i == 0 && labels[i].equals("*");
      if (!wildcard && !DNS_LABEL.matcher(labels[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The protocols that may share a port: plaintext HTTP, TLS (by SNI), or one other. */
  private static String family(GatewayServer s) {
    if (PLAINTEXT_HTTP.contains(s.protocol())) {
      return "HTTP";
    }
    return s.protocol().equals("HTTPS") ? "TLS" : s.protocol();
  }
}
