package io.inboard.mesh.http.internal.declarative;

import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.internal.PolicyAnnotations;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.http.internal.ClientCore;
import io.inboard.mesh.http.internal.lb.TryOutcome;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import io.inboard.mesh.http.internal.router.BoundService;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Declarative clients: a dynamic proxy whose methods were all parsed and validated when it was
 * created, so an invocation only builds a request and sends it.
 *
 * <p>In xDS mode the calls go through the control plane's routes, as {@code send} does: the
 * route's timeout, retries and cluster policy apply. As on gRPC stubs, {@code @Timeout} is the
 * caller's deadline (the earlier of it and the route's timeout applies), and the other policy
 * annotations are not used (a warning says so when there are any).
 */
public final class InterfaceClients {

  private InterfaceClients() {}

  /** A client for {@code type}; see {@code MeshHttpClient.create}. */
  public static <T> T create(ClientCore core, Class<T> type) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException(
          "type: " + type.getName() + " (expected: an interface annotated @MeshClient)");
    }
    ServiceName service = PolicyAnnotations.target(type, core.mesh().settings().namespace());
    ClientPolicy typeAnnotations = PolicyAnnotations.read(type);
    ClientPolicy typeLayer = typeAnnotations.orElse(core.clientLayer(service));
    BoundService target = core.bind(service, typeLayer);
    String baseUri = "http://" + service.name() + "." + service.namespace()
        + (service.port() > 0 ? ":" + service.port() : "");
    Map<Method, ClientPolicy> methodAnnotations = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      methodAnnotations.put(m, PolicyAnnotations.read(m));
    }
    target.checkAnnotations(type, typeAnnotations, methodAnnotations);
    Map<Method, MethodMapping> mappings = new HashMap<>();
    methodAnnotations.forEach((m, methodLayer) -> {
      ClientPolicy effective = InternalMesh.effectivePolicy(core.mesh(), service.withoutPort(),
          methodLayer.orElse(typeLayer));
      mappings.put(m, MethodMapping.parse(m, baseUri, CallPolicy.of(effective)));
    });
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new Handler(core, target, type, mappings));
    return type.cast(proxy);
  }

  private static final class Handler implements InvocationHandler {
    private final ClientCore core;
    private final BoundService target;
    private final Class<?> type;
    private final Map<Method, MethodMapping> mappings;

    Handler(ClientCore core, BoundService target, Class<?> type,
        Map<Method, MethodMapping> mappings) {
      this.core = core;
      this.target = target;
      this.type = type;
      this.mappings = mappings;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> type.getName() + "@mesh(" + target.service() + ")";
        };
      }
      if (method.isDefault()) {
        return invokeDefault(proxy, method, args);
      }
      MethodMapping mapping = mappings.get(method);
      HttpRequest request = mapping.request(args == null ? new Object[0] : args);
      CompletableFuture<HttpResponse<Object>> f =
          core.send(target, mapping.policy, request, mapping.handler());
      if (mapping.async) {
        return f.thenApply(r -> mapping.returnKind.adapt(request, r));
      }
      return mapping.returnKind.adapt(request, await(method, f));
    }

    // Proxy.invokeDefault refuses non-public interfaces from another package; a private lookup
    // in the interface (same unnamed module, or an opened package) still may call it.
    private static Object invokeDefault(Object proxy, Method method, Object[] args)
        throws Throwable {
      try {
        return InvocationHandler.invokeDefault(proxy, method, args);
      } catch (IllegalAccessException e) {
        Class<?> declaring = method.getDeclaringClass();
        return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup())
            .unreflectSpecial(method, declaring).bindTo(proxy)
            .invokeWithArguments(args == null ? new Object[0] : args);
      }
    }

    private static HttpResponse<Object> await(Method method,
        CompletableFuture<HttpResponse<Object>> f) throws Throwable {
      try {
        return f.get();
      } catch (InterruptedException e) {
        f.cancel(true);
        if (declares(method, InterruptedException.class)) {
          throw e;
        }
        Thread.currentThread().interrupt();
        throw new UncheckedIOException((IOException)
            new InterruptedIOException("interrupted while calling " + method.getName()).initCause(e));
      } catch (ExecutionException e) {
        Throwable cause = TryOutcome.unwrap(e);
        if (cause instanceof IOException io && !declares(method, IOException.class)) {
          throw new UncheckedIOException(io.getMessage(), io);
        }
        throw cause;
      }
    }

    private static boolean declares(Method method, Class<?> exception) {
      for (Class<?> c : method.getExceptionTypes()) {
        if (c.isAssignableFrom(exception)) {
          return true;
        }
      }
      return false;
    }
  }
}
