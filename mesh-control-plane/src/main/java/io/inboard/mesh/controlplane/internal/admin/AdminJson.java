package io.inboard.mesh.controlplane.internal.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.Nack;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.StoredResource;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The admin API's JSON shapes for the control plane's public values. */
public final class AdminJson {
  private AdminJson() {}

  public static JsonObject id(ResourceId id) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", id.kind());
    o.addProperty("namespace", id.namespace());
    o.addProperty("name", id.name());
    return o;
  }

  /** A finding; {@code text} reads as in logs and CLI output. */
  public static JsonObject diagnostic(Diagnostic d) {
    JsonObject o = new JsonObject();
    o.addProperty("severity", d.severity().name());
    o.add("resource", id(d.resource()));
    o.addProperty("field", d.field());
    o.addProperty("message", d.message());
    o.addProperty("text", d.toString());
    return o;
  }

  /** {@code errors}, {@code warnings} and {@code notServed}, each a list of findings. */
  public static JsonObject diagnostics(List<Diagnostic> all) {
    JsonObject o = new JsonObject();
    o.add("errors", diagnosticsOf(all, Diagnostic.Severity.ERROR));
    o.add("warnings", diagnosticsOf(all, Diagnostic.Severity.WARNING));
    o.add("notServed", diagnosticsOf(all, Diagnostic.Severity.NOT_SERVED));
    return o;
  }

  private static JsonArray diagnosticsOf(List<Diagnostic> all, Diagnostic.Severity severity) {
    return array(all.stream().filter(d -> d.severity() == severity).toList(),
        AdminJson::diagnostic);
  }

  public static JsonObject resource(StoredResource r) {
    JsonObject o = id(r.id());
    o.add("document", yaml(r.document()));
    o.add("diagnostics", array(r.diagnostics(), AdminJson::diagnostic));
    return o;
  }

  public static JsonObject workload(WorkloadStatus w) {
    JsonObject o = new JsonObject();
    o.addProperty("nodeId", w.nodeId());
    o.addProperty("namespace", w.namespace());
    o.addProperty("name", w.name());
    o.addProperty("serviceAccount", w.serviceAccount());
    o.add("labels", yaml(w.labels()));
    o.addProperty("address", w.address());
    o.addProperty("service", w.service());
    o.add("ports", yaml(w.ports()));
    o.add("endpoints", array(w.endpoints(), AdminJson::endpoint));
    o.addProperty("connected", w.connected());
    o.addProperty("connectedSince", w.connectedSince().toString());
    w.disconnectedAt().ifPresent(t -> o.addProperty("disconnectedAt", t.toString()));
    o.add("xds", array(w.xds().values(), AdminJson::xdsType));
    o.add("problems", yaml(w.problems()));
    return o;
  }

  private static JsonObject endpoint(ServiceEndpoint e) {
    JsonObject o = new JsonObject();
    o.addProperty("host", e.host());
    o.addProperty("port", e.port());
    o.addProperty("address", e.address());
    o.addProperty("targetPort", e.targetPort());
    o.add("labels", yaml(e.labels()));
    o.addProperty("serviceAccount", e.serviceAccount());
    return o;
  }

  public static JsonObject xdsType(XdsTypeStatus t) {
    JsonObject o = new JsonObject();
    o.addProperty("typeUrl", t.typeUrl());
    o.addProperty("sentVersion", t.sentVersion());
    o.addProperty("ackedVersion", t.ackedVersion());
    o.addProperty("inSync", t.inSync());
    o.add("nacks", array(t.nacks(), AdminJson::nack));
    return o;
  }

  private static JsonObject nack(Nack n) {
    JsonObject o = new JsonObject();
    o.addProperty("typeUrl", n.typeUrl());
    o.addProperty("version", n.version());
    o.addProperty("nonce", n.nonce());
    o.addProperty("message", n.message());
    o.addProperty("at", n.at().toString());
    return o;
  }

  public static <T> JsonArray array(Collection<T> items, Function<T, JsonElement> each) {
    JsonArray a = new JsonArray();
    items.forEach(i -> a.add(each.apply(i)));
    return a;
  }

  /** A value as SnakeYAML loads it (maps, lists, scalars); anything else as its text. */
  public static JsonElement yaml(Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject();
      m.forEach((k, v) -> o.add(String.valueOf(k), yaml(v)));
      return o;
    }
    if (value instanceof Collection<?> c) {
      JsonArray a = new JsonArray();
      c.forEach(v -> a.add(yaml(v)));
      return a;
    }
    if (value instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    return new JsonPrimitive(String.valueOf(value));
  }
}
