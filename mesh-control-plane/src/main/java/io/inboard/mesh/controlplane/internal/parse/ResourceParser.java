package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads multi-document YAML into validated Istio resources. Every document is read, so one
 * apply reports every invalid resource at once.
 */
public final class ResourceParser {
  /** The API versions of networking.istio.io that are read alike. */
  private static final Set<String> NETWORKING_VERSIONS = Set.of(
      "networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3");
  /** The API versions of security.istio.io that are validated alike. */
  private static final Set<String> SECURITY_VERSIONS = Set.of(
      "security.istio.io/v1", "security.istio.io/v1beta1");

  /** The API versions of telemetry.istio.io, which share one schema. */
  private static final Set<String> TELEMETRY_VERSIONS = Set.of(
      "telemetry.istio.io/v1", "telemetry.istio.io/v1alpha1");

  /** The root namespace when none is given, as Istio's default. */
  public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

  private final String defaultNamespace;
  private final String clusterDomain;
  private final String rootNamespace;
  private final List<TraceExporter> tracingProviders;

  /**
   * A parser whose root namespace is {@value #DEFAULT_ROOT_NAMESPACE}.
   *
   * @param defaultNamespace the namespace of resources that name none ({@code default})
   * @param clusterDomain the cluster domain short host names expand to ({@code cluster.local})
   */
  public ResourceParser(String defaultNamespace, String clusterDomain) {
    this(defaultNamespace, clusterDomain, DEFAULT_ROOT_NAMESPACE);
  }

  /**
   * @param defaultNamespace the namespace of resources that name none ({@code default})
   * @param clusterDomain the cluster domain short host names expand to ({@code cluster.local})
   * @param rootNamespace the namespace of mesh-wide policies ({@code istio-system})
   */
  public ResourceParser(String defaultNamespace, String clusterDomain, String rootNamespace) {
    this(defaultNamespace, clusterDomain, rootNamespace, List.of());
  }

  /**
   * @param defaultNamespace the namespace of resources that name none ({@code default})
   * @param clusterDomain the cluster domain short host names expand to ({@code cluster.local})
   * @param rootNamespace the namespace of mesh-wide policies ({@code istio-system})
   * @param tracingProviders the mesh config's tracing providers, which a Telemetry's {@code
   *     tracing.providers} may name (any other name is warned about)
   */
  public ResourceParser(String defaultNamespace, String clusterDomain, String rootNamespace,
      List<TraceExporter> tracingProviders) {
    this.defaultNamespace = defaultNamespace;
    this.clusterDomain = clusterDomain;
    this.rootNamespace = rootNamespace;
    this.tracingProviders = List.copyOf(tracingProviders);
  }

  /**
   * What one YAML text held: the valid resources, every finding, and the document each valid
   * resource was read from (as SnakeYAML loaded it), so that it can be shown back as written.
   */
  public record Result(List<ParsedResource> resources, List<Diagnostic> diagnostics,
      Map<ResourceId, Object> documents) {
    public Result {
      resources = List.copyOf(resources);
      diagnostics = List.copyOf(diagnostics);
      documents = Collections.unmodifiableMap(new LinkedHashMap<>(documents));
    }

    public Result(List<ParsedResource> resources, List<Diagnostic> diagnostics) {
      this(resources, diagnostics, Map.of());
    }

    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }
  }

  /**
   * Parses {@code yaml}.
   *
   * @param source names the input in errors that precede any resource (a file name, or
   *     {@code "input"})
   */
  public Result parse(String source, String yaml) {
    List<Object> documents = new ArrayList<>();
    try {
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(documents::add);
    } catch (YAMLException e) {
      return new Result(List.of(), List.of(error(new ResourceId("YAML", "", source), "",
          "not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")")));
    }
    return parseDocuments(source, documents);
  }

  /**
   * Parses documents already loaded (maps, lists, strings, numbers and booleans, as SnakeYAML
   * or Jackson return them), such as custom resources read from the Kubernetes API.
   *
   * @param source names the input in errors that precede any resource
   */
  public Result parseDocuments(String source, List<?> documents) {
    List<ParsedResource> resources = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    Map<ResourceId, Object> sources = new LinkedHashMap<>();
    int index = 0;
    for (Object doc : documents) {
      if (doc != null) {
        parseDocument(source, index, new Node(doc, ""), resources, diagnostics)
            .ifPresent(id -> sources.put(id, isSecret(id) ? SecretParser.redacted(doc) : doc));
      }
      index++;
    }
    return new Result(resources, diagnostics, sources);
  }

  /** Adds the resource {@code doc} holds to {@code out}; returns its id when it was valid. */
  private Optional<ResourceId> parseDocument(String source, int index, Node doc,
      List<ParsedResource> out, List<Diagnostic> diagnostics) {
    ResourceId placeholder = new ResourceId("document", source, "#" + index);
    ResourceId id;
    String apiVersion;
    Optional<Instant> created;
    try {
      if (!(doc.value() instanceof Map)) {
        throw doc.fail("a Kubernetes resource mapping");
      }
      apiVersion = doc.get("apiVersion").string();
      Node meta = doc.get("metadata");
      id = new ResourceId(doc.get("kind").string(),
          meta.get("namespace").optString().orElse(defaultNamespace), meta.get("name").string());
      created = creationTimestamp(meta.get("creationTimestamp"));
    } catch (FieldException e) {
      diagnostics.add(error(placeholder, e.field(), e.detail()));
      return Optional.empty();
    }
    try {
      ParsedResource resource = isSecret(id) && apiVersion.equals("v1")
          ? SecretParser.parse(id, doc) : parseKnown(id, apiVersion, doc.get("spec"), created);
      diagnostics.addAll(resource.diagnostics());
      out.add(resource);
      return Optional.of(id);
    } catch (FieldException e) {
      diagnostics.add(error(id, e.field(), e.detail()));
    } catch (IllegalArgumentException e) {
      // a mesh-api record rejected a combination; its message names the field
      diagnostics.add(error(id, "spec", e.getMessage()));
    }
    return Optional.empty();
  }

  private static boolean isSecret(ResourceId id) {
    return id.kind().equals("Secret");
  }

  private ParsedResource parseKnown(ResourceId id, String apiVersion, Node spec,
      Optional<Instant> created) {
    boolean networking = NETWORKING_VERSIONS.contains(apiVersion);
    if (networking && id.kind().equals("VirtualService")) {
      return new VirtualServiceParser(id, clusterDomain).parse(spec);
    }
    if (networking && id.kind().equals("Gateway")) {
      return new GatewayParser(id).parse(spec);
    }
    if (networking && id.kind().equals("DestinationRule")) {
      return new DestinationRuleParser(id, clusterDomain).parse(spec);
    }
    boolean security = SECURITY_VERSIONS.contains(apiVersion);
    if (security && id.kind().equals("PeerAuthentication")) {
      return new PeerAuthenticationValidator(id, rootNamespace).parse(spec, created);
    }
    if (security && id.kind().equals("AuthorizationPolicy")) {
      return SecurityPolicyParser.authorizationPolicy(id, apiVersion, spec);
    }
    if (security && id.kind().equals("RequestAuthentication")) {
      return SecurityPolicyParser.requestAuthentication(id, apiVersion, spec);
    }
    if (TELEMETRY_VERSIONS.contains(apiVersion) && id.kind().equals("Telemetry")) {
      return TelemetryParser.parse(id, apiVersion, spec, created, tracingProviders);
    }
    return new ParsedResource.Stored(id, apiVersion, List.of(new Diagnostic(
        Diagnostic.Severity.NOT_SERVED, id, "",
        apiVersion + " " + id.kind() + " is stored but not served yet")));
  }

  /**
   * {@code metadata.creationTimestamp}: RFC 3339 text as the Kubernetes API writes it, or the
   * date SnakeYAML makes of an unquoted one. It orders PeerAuthentications (the oldest wins).
   */
  private static Optional<Instant> creationTimestamp(Node n) {
    if (!n.present()) {
      return Optional.empty();
    }
    if (n.value() instanceof Date d) {
      return Optional.of(d.toInstant());
    }
    try {
      return Optional.of(OffsetDateTime.parse(n.string()).toInstant());
    } catch (DateTimeParseException e) {
      throw n.fail("an RFC 3339 time such as 2024-01-31T12:00:00Z");
    }
  }

  private static Diagnostic error(ResourceId id, String field, String message) {
    return new Diagnostic(Diagnostic.Severity.ERROR, id, field, message);
  }
}
