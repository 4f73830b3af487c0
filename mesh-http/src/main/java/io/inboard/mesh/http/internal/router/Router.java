package io.inboard.mesh.http.internal.router;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.http.internal.telemetry.CallObservation;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.CompletableFuture;

/**
 * Decides where a mesh call goes and under which policy. {@code ClientCore} picks one
 * implementation when the client is built, from the mesh's discovery mode, and calls only it:
 *
 * <ul>
 *   <li>{@code internal.KubernetesRouter}: one destination per service port, fed by the mesh's
 *       discovery, under the client's and the mesh's policy layers;
 *   <li>{@code internal.xds.XdsHttp}: the control plane's routes and clusters over xDS.
 * </ul>
 *
 * <p>Both only read tables precomputed when discovery or config changes. The caller has already
 * added the context's headers and wraps the result in telemetry.
 */
public interface Router extends AutoCloseable {

  /**
   * Sends {@code request}, addressed to {@code service}, under that service's policy.
   *
   * @param call what telemetry notes of the call, or {@code null} when it notes nothing
   */
  <T> CompletableFuture<HttpResponse<T>> send(ServiceName service, HttpRequest request,
      BodyHandler<T> handler, CallObservation call);

  /**
   * Binds a declarative client to {@code service}: what its calls need is resolved now (in
   * Kubernetes mode the destination is created and discovery starts), so a call only sends.
   *
   * @param typeLayer the interface's policy layer over the client's
   */
  BoundService bind(ServiceName service, ClientPolicy typeLayer);

  /** Stops the watches this router started. */
  @Override
  void close();
}
