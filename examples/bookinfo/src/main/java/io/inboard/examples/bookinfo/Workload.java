package io.inboard.examples.bookinfo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The six bookinfo workloads, with the identities Istio's sample gives them: labels {@code app}
 * and {@code version}, service account {@code bookinfo-<app>}, workload name
 * {@code <app>-<version>}, and the protocol of the service they serve.
 */
public enum Workload {
  PRODUCTPAGE_V1("productpage", "v1", Protocol.HTTP),
  DETAILS_V1("details", "v1", Protocol.HTTP),
  REVIEWS_V1("reviews", "v1", Protocol.GRPC),
  REVIEWS_V2("reviews", "v2", Protocol.GRPC),
  REVIEWS_V3("reviews", "v3", Protocol.GRPC),
  RATINGS_V1("ratings", "v1", Protocol.HTTP);

  /** What a workload's service speaks; also the name of its service port. */
  public enum Protocol {
    HTTP, GRPC;

    /** The service port's name, as Istio's naming convention wants it. */
    public String portName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String app;
  private final String version;
  private final Protocol protocol;

  Workload(String app, String version, Protocol protocol) {
    this.app = app;
    this.version = version;
    this.protocol = protocol;
  }

  /**
   * The workload called {@code name}, such as {@code reviews-v2}.
   *
   * @throws IllegalArgumentException naming the known workloads
   */
  public static Workload named(String name) {
    for (Workload w : values()) {
      if (w.workloadName().equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException("workload: '" + name + "' (expected one of: "
        + Arrays.stream(values()).map(Workload::workloadName).collect(Collectors.joining(", "))
        + ")");
  }

  /** The {@code app} label, which is also the name of the service it serves. */
  public String app() {
    return app;
  }

  /** The {@code version} label. */
  public String version() {
    return version;
  }

  /** {@code <app>-<version>}, such as {@code reviews-v2}. */
  public String workloadName() {
    return app + "-" + version;
  }

  /** {@code bookinfo-<app>}. */
  public String serviceAccount() {
    return "bookinfo-" + app;
  }

  public Protocol protocol() {
    return protocol;
  }
}
