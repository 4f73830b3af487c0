package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What applying configuration found. When {@link #hasErrors()} is true nothing of the applied
 * input was taken and the previous configuration stays served.
 *
 * @param all every finding, in input order
 */
public record Diagnostics(List<Diagnostic> all) {

  /** No findings. */
  public static final Diagnostics EMPTY = new Diagnostics(List.of());

  public Diagnostics {
    all = List.copyOf(requireNonNull(all, "all"));
  }

  /** Whether any finding is an {@link Diagnostic.Severity#ERROR}. */
  public boolean hasErrors() {
    return !errors().isEmpty();
  }

  /** The errors. */
  public List<Diagnostic> errors() {
    return of(Diagnostic.Severity.ERROR);
  }

  /** The fields that gRPC clients cannot honour. */
  public List<Diagnostic> warnings() {
    return of(Diagnostic.Severity.WARNING);
  }

  /** The resources stored but not served. */
  public List<Diagnostic> notServed() {
    return of(Diagnostic.Severity.NOT_SERVED);
  }

  private List<Diagnostic> of(Diagnostic.Severity severity) {
    return all.stream().filter(d -> d.severity() == severity).toList();
  }

  /** One finding per line. */
  @Override
  public String toString() {
    return all.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
  }
}
