package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import java.util.ArrayList;
import java.util.List;

/** Collects the fields of one resource that gRPC clients cannot honour. */
public final class Warnings {
  private final ResourceId resource;
  private final List<Diagnostic> list = new ArrayList<>();

  public Warnings(ResourceId resource) {
    this.resource = resource;
  }

  /** Records that {@code field} is not honoured, and {@code why}. */
  public void add(String field, String why) {
    list.add(new Diagnostic(Diagnostic.Severity.WARNING, resource, field, why));
  }

  public List<Diagnostic> list() {
    return List.copyOf(list);
  }
}
