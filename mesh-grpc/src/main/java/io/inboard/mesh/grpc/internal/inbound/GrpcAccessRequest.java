package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.security.internal.inbound.BaseAccessRequest;
import io.inboard.mesh.security.internal.inbound.RequestParts;
import io.inboard.mesh.security.internal.jwt.HeaderChange;
import java.net.InetAddress;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * A gRPC call as the access check reads it: method {@code POST}, path {@code
 * /package.Service/Method}, the {@code :authority}, ASCII metadata as headers, the transport's
 * addresses, and the TLS session's peer principal and SNI. gRPC has no query, so {@code
 * fromParams} never finds a token here.
 */
final class GrpcAccessRequest extends BaseAccessRequest {
  private final ServerCall<?, ?> call;
  private final Metadata headers;
  private final SSLSession tls;

  GrpcAccessRequest(ServerCall<?, ?> call, Metadata headers, SSLSession tls,
      String peerPrincipal) {
    super(peerPrincipal);
    this.call = call;
    this.headers = headers;
    this.tls = tls;
  }

  /** Makes the JWT step's header changes to the metadata the service will see. */
  void apply(List<HeaderChange> changes) {
    for (HeaderChange c : changes) {
      Metadata.Key<String> key = MetadataKeys.of(c.name());
      headers.removeAll(key);
      if (c.value() != null) {
        headers.put(key, c.value());
      }
    }
  }

  @Override
  public String method() {
    return "POST";
  }

  @Override
  public String path() {
    return "/" + call.getMethodDescriptor().getFullMethodName();
  }

  @Override
  public String host() {
    String a = call.getAuthority();
    return a == null ? "" : a;
  }

  @Override
  public int destinationPort() {
    return RequestParts.port(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
  }

  @Override
  public InetAddress destinationIp() {
    return RequestParts.ip(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
  }

  @Override
  public InetAddress sourceIp() {
    return RequestParts.ip(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
  }

  @Override
  public String header(String lowerCaseName) {
    if (lowerCaseName.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      return null; // binary metadata cannot be matched as text
    }
    Iterable<String> all = headers.getAll(MetadataKeys.of(lowerCaseName));
    return all == null ? null : RequestParts.joined(all.iterator());
  }

  @Override
  public String sni() {
    return RequestParts.sni(tls);
  }

  @Override
  public String queryParameter(String name) {
    return null;
  }

}
