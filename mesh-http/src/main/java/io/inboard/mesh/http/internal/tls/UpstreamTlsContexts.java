package io.inboard.mesh.http.internal.tls;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.security.internal.tls.MeshSslContexts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The TLS contexts of one client, made once and kept: one for the mesh's mTLS (over the mesh's
 * rotating identity, checking servers by {@link UpstreamIdentities}) shared by every mTLS
 * destination, and one per distinct SIMPLE/MUTUAL setting. The JDK client takes one context per
 * client, so each of these gets its own JDK client.
 */
public final class UpstreamTlsContexts {

  private final Optional<WorkloadIdentity> identity;
  private final UpstreamIdentities identities = new UpstreamIdentities();
  private final SSLContext meshContext;
  private final Map<UpstreamTls.Custom, SSLContext> custom = new ConcurrentHashMap<>();

  public UpstreamTlsContexts(Mesh mesh) {
    this.identity = MeshIdentity.of(mesh);
    this.meshContext = identity.map(id -> MeshSslContexts.client(id, identities)).orElse(null);
  }

  /** Which identities each endpoint of an mTLS cluster may present. */
  public UpstreamIdentities identities() {
    return identities;
  }

  /**
   * The one value that stands for every setting sharing a JDK client with {@code tls}: all mesh
   * mTLS destinations share one, since their secure naming goes by endpoint.
   */
  public static UpstreamTls clientKey(UpstreamTls tls) {
    return tls instanceof UpstreamTls.IstioMutual ? MESH : tls;
  }

  private static final UpstreamTls MESH = new UpstreamTls.IstioMutual(java.util.Set.of(), "");

  /**
   * Why calls under {@code tls} cannot go now, or {@code null} when they can. Read per call: a
   * workload whose first certificate has not arrived yet refuses instead of failing handshakes.
   */
  public String unavailable(UpstreamTls tls) {
    if (tls instanceof UpstreamTls.Unavailable u) {
      return "the DestinationRule's tls has no certificates: " + u.reason() + "; calls are"
          + " never sent without them";
    }
    if (!(tls instanceof UpstreamTls.IstioMutual)) {
      return null;
    }
    if (identity.isEmpty()) {
      return "the destination uses Istio mTLS (ISTIO_MUTUAL) but this workload has no mesh"
          + " identity: configure the mesh CA, or disable mTLS for the destination (DestinationRule"
          + " tls.mode DISABLE); calls are never sent in plaintext instead";
    }
    if (identity.get().current().isEmpty()) {
      return "the destination uses Istio mTLS (ISTIO_MUTUAL) and this workload's certificate"
          + " (" + identity.get().id() + ") has not been issued yet";
    }
    return null;
  }

  /**
   * The context for {@code tls}, or {@code null} for plaintext or when the mesh has no identity
   * (see {@link #unavailable}).
   *
   * @throws IllegalArgumentException if a SIMPLE/MUTUAL setting is unusable
   */
  public SSLContext context(UpstreamTls tls) {
    if (tls instanceof UpstreamTls.Custom c) {
      return custom.computeIfAbsent(c, CustomTlsContexts::of);
    }
    return tls instanceof UpstreamTls.IstioMutual ? meshContext : null;
  }

  /** The handshake parameters for {@code tls}'s client: the SNI a SIMPLE/MUTUAL setting names. */
  public static SSLParameters parameters(SSLContext context, UpstreamTls tls) {
    SSLParameters p = context.getDefaultSSLParameters();
    if (tls instanceof UpstreamTls.Custom c && !c.sni().isEmpty()) {
      p.setServerNames(List.of(new SNIHostName(c.sni())));
    }
    return p;
  }
}
