package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One entry of a Gateway server's {@code hosts}, {@code [namespace/]dnsName}, with its
 * namespace part resolved: {@code ./} is the Gateway's own namespace, and a host without one
 * admits every namespace ({@code *}).
 *
 * @param namespace the namespace whose VirtualServices may bind to it, or {@code *} for any
 * @param dnsName the host name, lower case: {@code *}, {@code *.example.com} or a name
 */
public record GatewayHost(String namespace, String dnsName) {
  /** The namespace part that admits every namespace. */
  public static final String ANY_NAMESPACE = "*";

  public GatewayHost {
    requireNonNull(namespace, "namespace");
    dnsName = requireNonNull(dnsName, "dnsName").toLowerCase(Locale.ROOT);
  }

  /** Whether a VirtualService of {@code vsNamespace} may bind to this host. */
  public boolean admits(String vsNamespace) {
    return namespace.equals(ANY_NAMESPACE) || namespace.equals(vsNamespace);
  }

  @Override
  public String toString() {
    return namespace + "/" + dnsName;
  }
}
