package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.controlplane.internal.AdsServer;
import io.inboard.mesh.controlplane.internal.ConfigStore;
import io.inboard.mesh.controlplane.internal.ResourceParser;
import io.inboard.mesh.controlplane.internal.XdsTranslator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inboard's control plane: holds Istio resources and service endpoints, and serves them as xDS
 * over ADS to grpc-xds clients. Invalid input is rejected whole, naming the resource, the field,
 * the value and what was expected; the last good configuration stays served.
 *
 * <pre>{@code
 * try (ControlPlane cp = ControlPlane.builder().xdsPort(0).start()) {
 *   cp.register(new ServiceEndpoint("reviews.default.svc.cluster.local", 9080, "127.0.0.2",
 *       Map.of("app", "reviews", "version", "v1")));
 *   Diagnostics d = cp.apply(Files.readString(Path.of("virtual-service-reviews-v3.yaml")));
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

  private final ResourceParser parser;
  private final XdsTranslator translator = new XdsTranslator();
  private final ConfigStore store = new ConfigStore();
  private final AdsServer ads;
  private final String host;
  private final List<Diagnostic> directoryErrors = new ArrayList<>();

  private ControlPlane(Builder b) throws IOException {
    this.parser = new ResourceParser(b.defaultNamespace, b.clusterDomain);
    this.host = b.host;
    this.ads = new AdsServer(b.host, b.xdsPort);
    if (b.configDirectory != null) {
      loadDirectory(b.configDirectory);
    }
    publish();
  }

  /** Starts configuring a control plane. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port ADS is served on (the bound one when the builder asked for 0). */
  public int xdsPort() {
    return ads.port();
  }

  /** {@code host:port} of the ADS server, as clients dial it. */
  public String xdsAddress() {
    return host + ":" + xdsPort();
  }

  /**
   * Applies every resource in {@code yaml} (one or more documents). If any is invalid nothing is
   * applied and the returned diagnostics hold the errors; otherwise the resources replace those
   * of the same kind, namespace and name, and clients are updated.
   */
  public synchronized Diagnostics apply(String yaml) {
    return apply("input", requireNonNull(yaml, "yaml"));
  }

  /** Adds an endpoint to its service and updates clients; adding it twice changes nothing. */
  public synchronized void register(ServiceEndpoint endpoint) {
    if (store.addEndpoint(requireNonNull(endpoint, "endpoint"))) {
      publish();
    }
  }

  /** Removes an endpoint registered with {@link #register} and updates clients. */
  public synchronized void deregister(ServiceEndpoint endpoint) {
    if (store.removeEndpoint(requireNonNull(endpoint, "endpoint"))) {
      publish();
    }
  }

  /**
   * What is known about the current configuration: warnings and not-served notes of the stored
   * resources, and errors of configuration-directory files that were rejected at start.
   */
  public synchronized Diagnostics diagnostics() {
    List<Diagnostic> all = new ArrayList<>(directoryErrors);
    all.addAll(store.diagnostics());
    return new Diagnostics(all);
  }

  @Override
  public void close() {
    try {
      ads.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Diagnostics apply(String source, String yaml) {
    ResourceParser.Result result = parser.parse(source, yaml);
    if (!result.hasErrors()) {
      store.putAll(result.resources());
      publish();
    }
    return new Diagnostics(result.diagnostics());
  }

  private void loadDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList();
    }
    for (Path f : files) {
      Diagnostics d = apply(f.getFileName().toString(), Files.readString(f));
      if (d.hasErrors()) {
        log.error("{} rejected:\n{}", f, d);
        directoryErrors.addAll(d.errors());
      }
    }
  }

  private void publish() {
    String version = ads.publish(translator.translate(store.snapshot()));
    log.debug("serving config version {}", version);
  }

  /** Configures a {@link ControlPlane}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int xdsPort = 15010;
    private Path configDirectory;
    private String defaultNamespace = "default";
    private String clusterDomain = "cluster.local";

    private Builder() {}

    /** The address ADS binds to (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** The ADS port (default 15010, as istiod's plaintext xDS); 0 picks a free port. */
    public Builder xdsPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("xdsPort: " + port + " (expected: 0..65535)");
      }
      this.xdsPort = port;
      return this;
    }

    /**
     * Local mode: loads every {@code *.yaml} and {@code *.yml} file of {@code dir} at start, in
     * name order (default: none). A file with an invalid resource is rejected whole and
     * reported by {@link ControlPlane#diagnostics()}; the others still load.
     */
    public Builder configDirectory(Path dir) {
      this.configDirectory = requireNonNull(dir, "dir");
      return this;
    }

    /** The namespace of resources that name none (default {@code default}). */
    public Builder defaultNamespace(String namespace) {
      this.defaultNamespace = requireNonNull(namespace, "namespace");
      return this;
    }

    /** The domain short host names expand to (default {@code cluster.local}). */
    public Builder clusterDomain(String domain) {
      this.clusterDomain = requireNonNull(domain, "domain");
      return this;
    }

    /** Binds the ADS port, loads the config directory and starts serving. */
    public ControlPlane start() throws IOException {
      return new ControlPlane(this);
    }
  }
}
