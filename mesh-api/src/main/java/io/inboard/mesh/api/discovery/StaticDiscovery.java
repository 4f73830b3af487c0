package io.inboard.mesh.api.discovery;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Endpoints given by the application rather than discovered: for tests, local development and
 * services outside the cluster. Updating a service notifies its listeners synchronously.
 */
public final class StaticDiscovery implements EndpointDiscovery {

  private final Map<ServiceName, List<Endpoint>> endpoints = new ConcurrentHashMap<>();
  private final Map<ServiceName, Set<EndpointListener>> listeners = new ConcurrentHashMap<>();

  /** Sets (or replaces) a service's endpoints. The service name's port is ignored. */
  public StaticDiscovery put(ServiceName service, List<Endpoint> list) {
    ServiceName key = service.withoutPort();
    endpoints.put(key, List.copyOf(list));
    for (EndpointListener l : listeners.getOrDefault(key, Set.of())) {
      l.onEndpoints(new ServiceEndpoints(key, list));
    }
    return this;
  }

  /** Removes a service; its listeners are told it no longer exists. */
  public StaticDiscovery remove(ServiceName service) {
    ServiceName key = service.withoutPort();
    endpoints.remove(key);
    for (EndpointListener l : listeners.getOrDefault(key, Set.of())) {
      l.onError(notFound(key));
    }
    return this;
  }

  @Override
  public Subscription subscribe(ServiceName service, EndpointListener listener) {
    requireNonNull(listener, "listener");
    ServiceName key = service.withoutPort();
    listeners.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(listener);
    List<Endpoint> current = endpoints.get(key);
    if (current != null) {
      listener.onEndpoints(new ServiceEndpoints(key, current));
    } else {
      listener.onError(notFound(key));
    }
    return () -> listeners.getOrDefault(key, Set.of()).remove(listener);
  }

  private static ServiceUnavailableException notFound(ServiceName service) {
    return new ServiceUnavailableException(
        service, ServiceUnavailableException.Reason.SERVICE_NOT_FOUND, "not in static discovery");
  }

  @Override
  public void close() {
    listeners.clear();
  }
}
