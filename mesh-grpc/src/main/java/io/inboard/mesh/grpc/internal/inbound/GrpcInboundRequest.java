package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** A gRPC call as an {@link io.inboard.mesh.api.inbound.InboundGuard} sees it. */
record GrpcInboundRequest(ServerCall<?, ?> call, Metadata headers) implements InboundRequest {

  @Override
  public Protocol protocol() {
    return Protocol.GRPC;
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
  public String authority() {
    String a = call.getAuthority();
    return a == null ? "" : a;
  }

  @Override
  public String header(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    // Binary headers cannot be read as text; a guard asking for one gets nothing.
    return lower.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? null
        : headers.get(MetadataKeys.of(lower));
  }

  @Override
  public InetSocketAddress remoteAddress() {
    SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return a instanceof InetSocketAddress i ? i : null;
  }

  @Override
  public List<X509Certificate> peerCertificates() {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      return List.of();
    }
  }
}
