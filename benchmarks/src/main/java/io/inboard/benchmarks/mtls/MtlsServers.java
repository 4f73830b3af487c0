package io.inboard.benchmarks.mtls;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.inboard.benchmarks.http.EchoServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.grpc.MeshGrpc;
import io.inboard.mesh.http.server.MeshJetty;
import io.inboard.mesh.http.server.MeshServletFilter;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.pki.Pem;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server JVM of the mTLS benchmark: every server the client paths call, and the control
 * plane that tells Inboard's clients which services speak mTLS.
 *
 * <ul>
 *   <li>A control plane (xDS on {@link MtlsPorts#XDS}) with four services: {@code echo-plain}
 *       and {@code grpc-plain} registered as plain endpoints, {@code echo-mtls} and
 *       {@code grpc-mtls} with label {@code security.istio.io/tlsMode=istio} and service account
 *       {@code bench-server}, so auto-mTLS makes their clusters ISTIO_MUTUAL with that SAN.
 *   <li>One server mesh ({@code bench-server}, no control plane) with an identity from an
 *       in-memory CA, mode DISABLE on its plain ports and STRICT on its mTLS ports.
 *   <li>Jetty 12: one unmeshed server (direct, and the sidecar's upstream) and one meshed server
 *       ({@link MeshJetty} connectors, {@link MeshServletFilter}) with the same servlet.
 *   <li>grpc-netty: one unmeshed server and one {@link MeshGrpc#serverBuilder} per mode, with the
 *       same service ({@link ByteEcho}).
 * </ul>
 *
 * The client's identity, issued by the same CA, is written as PEM to {@code dir} for the client
 * JVMs ({@code client.key}, {@code client.chain}, {@code roots}). Every body is
 * {@value EchoServer#BODY_LEN} bytes. {@code ?close} makes the HTTP servers close the connection
 * after the response, so that every request needs a new connection (the handshake runs).
 */
public final class MtlsServers {

  static final SpiffeId SERVER_ID = SpiffeId.of("cluster.local", "default", "bench-server");
  static final SpiffeId CLIENT_ID = SpiffeId.of("cluster.local", "default", "bench-client");

  private MtlsServers() {}

  /** {@code MtlsServers DIR}: runs until killed. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/mtls-identity");
    Files.createDirectories(dir);
    byte[] body = new byte[EchoServer.BODY_LEN];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }

    InMemoryAuthority ca = InMemoryAuthority.create("cluster.local");
    IdentityMaterial client = ca.issue(CLIENT_ID, Duration.ofDays(1));
    Files.writeString(dir.resolve("client.key"), Pem.encode(client.key()));
    Files.writeString(dir.resolve("client.chain"), Pem.encode(client.chain()));
    Files.writeString(dir.resolve("roots"), Pem.encode(client.roots()));

    Mesh mesh = Mesh.builder().workloadName("bench-server").namespace("default")
        .label("app", "echo").discovery(new StaticDiscovery()).adminPort(-1).build();
    InMemoryIdentity identity = new InMemoryIdentity(SERVER_ID);
    identity.update(ca.issue(SERVER_ID, Duration.ofDays(1)));
    MeshIdentity.install(mesh, identity);
    InboundMtls.of(mesh).set(new InboundMtlsPolicy(MtlsMode.DISABLE, Map.of(
        MtlsPorts.HTTP_MESH_STRICT, MtlsMode.STRICT, MtlsPorts.GRPC_MESH_STRICT, MtlsMode.STRICT)));

    org.eclipse.jetty.server.Server plainJetty = new org.eclipse.jetty.server.Server();
    ServerConnector plain = new ServerConnector(plainJetty);
    plain.setHost("127.0.0.1");
    plain.setPort(MtlsPorts.HTTP_PLAIN);
    plainJetty.addConnector(plain);
    plainJetty.setHandler(app(body, null));
    plainJetty.start();

    org.eclipse.jetty.server.Server meshJetty = new org.eclipse.jetty.server.Server();
    meshJetty.addConnector(MeshJetty.connector(mesh, meshJetty, "127.0.0.1",
        MtlsPorts.HTTP_MESH_PLAIN));
    meshJetty.addConnector(MeshJetty.connector(mesh, meshJetty, "127.0.0.1",
        MtlsPorts.HTTP_MESH_STRICT));
    meshJetty.setHandler(app(body, mesh));
    meshJetty.start();

    Server grpcPlain = Grpc.newServerBuilderForPort(MtlsPorts.GRPC_PLAIN,
        InsecureServerCredentials.create()).addService(ByteEcho.service(body)).build().start();
    Server grpcMeshPlain = MeshGrpc.serverBuilder(mesh,
            new InetSocketAddress("127.0.0.1", MtlsPorts.GRPC_MESH_PLAIN))
        .addService(ByteEcho.service(body)).build().start();
    Server grpcMeshStrict = MeshGrpc.serverBuilder(mesh,
            new InetSocketAddress("127.0.0.1", MtlsPorts.GRPC_MESH_STRICT))
        .addService(ByteEcho.service(body)).build().start();

    ControlPlane cp = ControlPlane.builder().host("127.0.0.1").xdsPort(MtlsPorts.XDS)
        .adminPort(-1).start();
    Map<String, String> plainLabels = Map.of("app", "echo");
    Map<String, String> meshLabels = Map.of("app", "echo",
        MeshXdsNames.TLS_MODE_LABEL, MeshXdsNames.TLS_MODE_ISTIO);
    cp.register(new ServiceEndpoint("echo-plain.default.svc.cluster.local", 80, "127.0.0.1",
        MtlsPorts.HTTP_MESH_PLAIN, plainLabels, ""));
    cp.register(new ServiceEndpoint("echo-mtls.default.svc.cluster.local", 80, "127.0.0.1",
        MtlsPorts.HTTP_MESH_STRICT, meshLabels, "bench-server"));
    cp.register(new ServiceEndpoint("grpc-plain.default.svc.cluster.local", 9090, "127.0.0.1",
        MtlsPorts.GRPC_MESH_PLAIN, plainLabels, ""));
    cp.register(new ServiceEndpoint("grpc-mtls.default.svc.cluster.local", 9090, "127.0.0.1",
        MtlsPorts.GRPC_MESH_STRICT, meshLabels, "bench-server"));

    System.out.println("mtls servers up, pid " + ProcessHandle.current().pid() + "; identity in "
        + dir);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      grpcPlain.shutdownNow();
      grpcMeshPlain.shutdownNow();
      grpcMeshStrict.shutdownNow();
      cp.close();
      mesh.close();
    }));
    grpcMeshStrict.awaitTermination();
  }

  /** The servlet every HTTP server runs; behind {@link MeshServletFilter} when meshed. */
  private static ServletContextHandler app(byte[] body, Mesh mesh) {
    ServletContextHandler app = new ServletContextHandler();
    if (mesh != null) {
      app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    }
    app.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if ("close".equals(req.getQueryString())) {
          res.setHeader("Connection", "close");
        }
        res.setContentType("application/octet-stream");
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
      }
    }), "/*");
    return app;
  }
}
