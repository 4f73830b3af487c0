package io.inboard.mesh.grpc;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.grpc.internal.k8s.K8sNameResolver;
import io.inboard.mesh.grpc.internal.k8s.ResolutionState;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Resolves {@code k8s:///NAME[.NAMESPACE][:PORT]} targets through a {@link Mesh}'s discovery and
 * hands the service's routable endpoints to gRPC's load balancer ({@code round_robin},
 * {@code pick_first}, ...). Registered with gRPC through {@code META-INF/services}.
 *
 * <p>The mesh is scoped to the channel, not the process, so that several meshes can live in one
 * JVM: pass it as a name-resolver argument. {@link MeshChannels} does this for you; a channel
 * built by hand looks like this:
 *
 * <pre>{@code
 * ManagedChannel ch = Grpc.newChannelBuilder("k8s:///reviews:9080", InsecureChannelCredentials.create())
 *     .setNameResolverArg(MeshNameResolverProvider.MESH, mesh)
 *     .build();
 * }</pre>
 *
 * <p>A target without the argument resolves to the error {@code UNAVAILABLE}, saying so. When
 * the service, its namespace, its port or every ready endpoint is missing, the resolver reports
 * {@code UNAVAILABLE} with the message of the matching
 * {@link io.inboard.mesh.api.ServiceUnavailableException}, which names service and namespace.
 */
public final class MeshNameResolverProvider extends NameResolverProvider {

  /** The target scheme: {@value}. */
  public static final String SCHEME = K8sNameResolver.SCHEME;

  /** The name-resolver argument carrying the mesh a {@code k8s:///} target resolves in. */
  public static final NameResolver.Args.Key<Mesh> MESH = K8sNameResolver.MESH_ARG;

  /** Public for {@link java.util.ServiceLoader}; applications need not create one. */
  public MeshNameResolverProvider() {}

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String path = targetUri.getPath();
    if (path == null || !path.startsWith("/") || path.length() < 2) {
      throw new IllegalArgumentException("target: '" + targetUri
          + "' (expected: k8s:///NAME[.NAMESPACE][:PORT], such as k8s:///reviews.default:9080)");
    }
    Mesh mesh = args.getArg(MESH);
    ResolutionState state = args.getArg(ResolutionState.KEY);
    String name = path.substring(1);
    if (mesh == null) {
      return K8sNameResolver.withoutMesh(targetUri.toString(), args.getSynchronizationContext());
    }
    ServiceName service = mesh.service(name);
    return new K8sNameResolver(mesh, service, args.getSynchronizationContext(),
        state != null ? state : new ResolutionState());
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  /**
   * Below DNS's 5: the registry makes the highest-priority provider the default scheme for
   * targets without one, and {@code k8s} must never capture plain {@code host:port} targets
   * elsewhere in the application.
   */
  @Override
  protected int priority() {
    return 4;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
