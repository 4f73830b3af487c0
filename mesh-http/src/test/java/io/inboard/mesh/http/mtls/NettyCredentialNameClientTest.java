package io.inboard.mesh.http.mtls;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.InternalMeshHttpClientBuilder;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.http.internal.transport.TransportKind;

/**
 * {@link CredentialNameClientTest}'s DestinationRule TLS (SIMPLE and MUTUAL from a Secret, the
 * server's SAN checked) with the tries sent by the Netty transport: the same {@code SSLContext}
 * and SNI, in a Netty {@code SslHandler}.
 */
class NettyCredentialNameClientTest extends CredentialNameClientTest {
  @Override
  MeshHttpClient newClient(Mesh mesh) {
    return InternalMeshHttpClientBuilder.transport(MeshHttpClient.builder(mesh),
        TransportKind.NETTY).build();
  }
}
