package io.inboard.mesh.http.internal.router;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import io.inboard.mesh.http.internal.telemetry.CallObservation;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A service as one declarative client calls it, bound by {@link Router#bind}. */
public interface BoundService {

  /** The service port the client calls. */
  ServiceName service();

  /**
   * Checks the client's policy annotations against what this mode applies: throws
   * {@link IllegalArgumentException} for a setting that cannot hold, and warns about settings
   * that are not used.
   *
   * @param typeAnnotations the interface's own policy annotations
   * @param methodAnnotations each method's own policy annotations
   */
  void checkAnnotations(Class<?> type, ClientPolicy typeAnnotations,
      Map<Method, ClientPolicy> methodAnnotations);

  /**
   * Sends one method call's {@code request}.
   *
   * @param policy the method's effective per-call policy, resolved when the client was created
   * @param call what telemetry notes of the call, or {@code null} when it notes nothing
   */
  <T> CompletableFuture<HttpResponse<T>> send(CallPolicy policy, HttpRequest request,
      BodyHandler<T> handler, CallObservation call);
}
