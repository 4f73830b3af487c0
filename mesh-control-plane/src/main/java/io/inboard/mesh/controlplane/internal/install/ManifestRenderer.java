package io.inboard.mesh.controlplane.internal.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the install templates ({@code io/inboard/mesh/controlplane/install/*.yaml}, the one
 * source of every object install applies) for a set of values. A template is YAML with
 * {@code {{name}}} placeholders, kept as text so that its comments reach {@code manifest
 * generate}'s output.
 *
 * <p>Apply order: namespaces and CRDs; the control plane; the ingress gateway; mesh telemetry
 * (its CRD must be established); the injection webhook last, once the control plane answers.
 */
public final class ManifestRenderer {
  /** The templates' directory on the class path. */
  static final String DIR = "/io/inboard/mesh/controlplane/install/";
  /** The template applied last, after the control plane is ready. */
  public static final String WEBHOOK = "sidecar-injector-webhook.yaml";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z.]+)}}");

  private ManifestRenderer() {}

  /** The manifest for {@code values}. */
  public static RenderedManifest render(InstallValues values) {
    List<RenderedManifest.Part> parts = new ArrayList<>();
    Map<String, String> placeholders = values.placeholders();
    add(parts, Component.BASE, "namespaces.yaml", placeholders);
    add(parts, Component.BASE, "crds.yaml", placeholders);
    add(parts, Component.CONTROL_PLANE, "control-plane.yaml", placeholders);
    if (values.ingressGateway()) {
      add(parts, Component.INGRESS_GATEWAY, "ingress-gateway.yaml", placeholders);
    }
    if (values.meshTelemetry()) {
      add(parts, Component.DEMO, "telemetry.yaml", placeholders);
    }
    add(parts, Component.CONTROL_PLANE, WEBHOOK, placeholders);
    return new RenderedManifest(values, List.copyOf(parts));
  }

  private static void add(List<RenderedManifest.Part> parts, Component component,
      String template, Map<String, String> placeholders) {
    String yaml = substitute(template, read(template), placeholders);
    parts.add(new RenderedManifest.Part(component, template, yaml,
        ManifestDocuments.parse(template, yaml)));
  }

  static String substitute(String template, String text, Map<String, String> placeholders) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = placeholders.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException(template + ": placeholder {{" + m.group(1)
            + "}} has no value (expected: one of " + placeholders.keySet() + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(String template) {
    try (InputStream in = ManifestRenderer.class.getResourceAsStream(DIR + template)) {
      if (in == null) {
        throw new IllegalStateException(DIR + template + ": missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
