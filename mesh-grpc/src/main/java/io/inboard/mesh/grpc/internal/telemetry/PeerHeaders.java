package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.LocalPeerHeaders;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;

/**
 * The mesh's {@link LocalPeerHeaders} as gRPC metadata: a client puts them on each call, a
 * server answers with them, and each side reads the other's with {@link #read}.
 *
 * <p>The values are encoded to ASCII bytes once, when this is made: a String value would be
 * converted again on every call, and Istio's {@code x-envoy-peer-metadata} alone is about 350
 * characters. The workload's headers are fixed for the life of its mesh, so the bytes are too.
 */
public final class PeerHeaders {

  static final Metadata.Key<String> INBOARD = MetadataKeys.of(PeerIdentity.HEADER);
  static final Metadata.Key<String> ENVOY = MetadataKeys.of(EnvoyPeerMetadata.HEADER);
  static final Metadata.Key<String> ENVOY_ID = MetadataKeys.of(EnvoyPeerMetadata.ID_HEADER);

  /** The same header names, with values already in wire form. */
  private static final Metadata.Key<byte[]> INBOARD_ENCODED = encodedKey(PeerIdentity.HEADER);
  private static final Metadata.Key<byte[]> ENVOY_ENCODED = encodedKey(EnvoyPeerMetadata.HEADER);
  private static final Metadata.Key<byte[]> ENVOY_ID_ENCODED =
      encodedKey(EnvoyPeerMetadata.ID_HEADER);

  private final LocalPeerHeaders local;
  private final byte[] inboard;
  private final byte[] envoyMetadata;
  private final byte[] envoyId;

  private PeerHeaders(LocalPeerHeaders local) {
    this.local = local;
    this.inboard = ascii(local.inboard());
    this.envoyMetadata = ascii(local.envoyMetadata());
    this.envoyId = ascii(local.envoyId());
  }

  /** The headers of {@code mesh}'s workload. */
  public static PeerHeaders of(Mesh mesh) {
    return new PeerHeaders(InternalMesh.peerHeaders(mesh));
  }

  /** This workload's identity. */
  public PeerIdentity self() {
    return local.self();
  }

  /** Puts this workload's headers on {@code headers}, replacing any already there. */
  public void put(Metadata headers) {
    put(headers, INBOARD_ENCODED, inboard);
    put(headers, ENVOY_ENCODED, envoyMetadata);
    put(headers, ENVOY_ID_ENCODED, envoyId);
  }

  /**
   * The peer named by {@code headers}: Istio's header when present and readable, else
   * Inboard's, else {@link PeerIdentity#UNKNOWN}.
   */
  public static PeerIdentity read(Metadata headers) {
    byte[] envoy = headers.get(ENVOY_ENCODED);
    if (envoy == null) {
      return EnvoyPeerMetadata.read(null, headers.get(INBOARD));
    }
    PeerIdentity known = DecodedPeers.find(envoy);
    if (known != null) {
      return known;
    }
    PeerIdentity decoded = EnvoyPeerMetadata.decode(new String(envoy, InternalMetadata.US_ASCII));
    if (decoded == PeerIdentity.UNKNOWN) {
      return PeerIdentity.parse(headers.get(INBOARD));
    }
    DecodedPeers.add(envoy, decoded);
    return decoded;
  }

  private static void put(Metadata headers, Metadata.Key<byte[]> key, byte[] value) {
    headers.discardAll(key);
    headers.put(key, value);
  }

  /** The bytes the ASCII String marshaller would send for {@code value}. */
  private static byte[] ascii(String value) {
    return Metadata.ASCII_STRING_MARSHALLER.toAsciiString(value)
        .getBytes(InternalMetadata.US_ASCII);
  }

  private static Metadata.Key<byte[]> encodedKey(String name) {
    return InternalMetadata.keyOf(name, PreEncoded.INSTANCE);
  }

  /**
   * Passes bytes through as they are. gRPC keeps a trusted marshaller's bytes without copying,
   * so the shared arrays must never be changed: nothing here or in gRPC writes to them.
   */
  private enum PreEncoded implements InternalMetadata.TrustedAsciiMarshaller<byte[]> {
    INSTANCE;

    @Override
    public byte[] toAsciiString(byte[] value) {
      return value;
    }

    @Override
    public byte[] parseAsciiString(byte[] serialized) {
      return serialized;
    }
  }
}
