package io.inboard.mesh.security.internal.tls;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the workload's current certificate at each handshake, so one {@code SSLContext} serves
 * every rotation. JSSE picks an alias first and asks for the chain and the key separately, so the
 * alias names a generation and the last few generations handed out are kept: a handshake that
 * chose its alias just before a rotation still gets a matching key and chain, even when other
 * handshakes have chosen the new generation in between.
 */
public final class MeshKeyManager extends X509ExtendedKeyManager {
  private static final String PREFIX = "inboard-";
  /** Generations kept for handshakes in flight: a rotation takes hours, a handshake a moment. */
  private static final int KEPT = 4;

  private final WorkloadIdentity identity;
  // generation -> material handed out under that alias, oldest first; guarded by itself
  private final Map<Long, IdentityMaterial> chosen = new LinkedHashMap<>();

  public MeshKeyManager(WorkloadIdentity identity) {
    this.identity = requireNonNull(identity, "identity");
  }

  private String alias(String keyType) {
    Optional<IdentityMaterial> m = identity.current();
    if (m.isEmpty() || (keyType != null && !keyType.equals(m.get().key().getAlgorithm()))) {
      return null;
    }
    IdentityMaterial material = m.get();
    synchronized (chosen) {
      if (chosen.putIfAbsent(material.generation(), material) == null && chosen.size() > KEPT) {
        chosen.remove(chosen.keySet().iterator().next());
      }
    }
    return PREFIX + material.generation();
  }

  private String alias(String[] keyTypes) {
    if (keyTypes == null) {
      return alias((String) null);
    }
    for (String t : keyTypes) {
      String a = alias(t);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  private Optional<IdentityMaterial> material(String alias) {
    if (alias == null || !alias.startsWith(PREFIX)) {
      return Optional.empty();
    }
    long generation;
    try {
      generation = Long.parseLong(alias.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Optional<IdentityMaterial> now = identity.current();
    if (now.isPresent() && now.get().generation() == generation) {
      return now;
    }
    synchronized (chosen) {
      return Optional.ofNullable(chosen.get(generation));
    }
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return material(alias).map(m -> m.chain().toArray(X509Certificate[]::new)).orElse(null);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return material(alias).map(IdentityMaterial::key).orElse(null);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String a = alias(keyType);
    return a == null ? null : new String[] {a};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return alias(keyTypes);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers,
      SSLEngine engine) {
    return alias(keyTypes);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }
}
