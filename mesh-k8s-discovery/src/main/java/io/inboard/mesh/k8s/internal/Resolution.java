package io.inboard.mesh.k8s.internal;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.discovery.ServiceEndpoints;

/**
 * What discovery currently knows about one subscribed service. A value, so that listeners are
 * only told when it changes.
 */
public sealed interface Resolution {

  /** The service resolved to these endpoints (possibly none of them routable). */
  record Resolved(ServiceEndpoints endpoints) implements Resolution {
    public Resolved {
      requireNonNull(endpoints, "endpoints");
    }
  }

  /** The service cannot be resolved. */
  record Failed(ServiceName service, ServiceUnavailableException.Reason reason, String detail)
      implements Resolution {
    public Failed {
      requireNonNull(service, "service");
      requireNonNull(reason, "reason");
      requireNonNull(detail, "detail");
    }

    /** A fresh exception for listeners; exceptions themselves have no value equality. */
    public ServiceUnavailableException toException() {
      return new ServiceUnavailableException(service, reason, detail);
    }
  }
}
