package io.inboard.mesh.controlplane.internal.graph;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The JSON of {@code GET /api/v1/graph}; see {@link ServiceGraphService} for its shape. */
final class GraphJson {
  private GraphJson() {}

  static JsonObject node(GraphNode n, Health health, double rpsIn, double rpsOut, boolean idle) {
    JsonObject o = new JsonObject();
    o.addProperty("id", n.id());
    o.addProperty("nodeType", n.nodeType());
    o.addProperty("namespace", n.namespace());
    o.addProperty("workload", n.workload());
    o.addProperty("app", n.app());
    o.addProperty("version", n.version());
    o.addProperty("service", n.service());
    o.addProperty("health", health.label());
    o.addProperty("rpsIn", round(rpsIn));
    o.addProperty("rpsOut", round(rpsOut));
    o.addProperty("idle", idle);
    return o;
  }

  static JsonObject edge(GraphEdge e) {
    JsonObject o = new JsonObject();
    o.addProperty("id", e.id());
    o.addProperty("source", e.source());
    o.addProperty("target", e.target());
    o.addProperty("protocol", e.protocol());
    o.addProperty("rps", round(e.rps()));
    o.addProperty("requests", round(e.requests()));
    o.addProperty("errorPercent", round(e.errorPercent()));
    addNumberOrNull(o, "p95Ms", e.p95Ms());
    addNumberOrNull(o, "mtlsPercent", e.mtlsPercent());
    o.addProperty("health", e.health().label());
    JsonObject responses = new JsonObject();
    e.responses().forEach((code, c) -> {
      JsonObject r = new JsonObject();
      r.addProperty("rps", round(c.rps()));
      r.addProperty("percent", round(e.rps() > 0 ? c.rps() / e.rps() * 100 : 0));
      JsonObject flags = new JsonObject();
      c.flags().forEach((f, rps) -> flags.addProperty(f, round(c.rps() > 0 ? rps / c.rps() * 100
          : 0)));
      r.add("flags", flags);
      responses.add(code, r);
    });
    o.add("responses", responses);
    return o;
  }

  static JsonObject xds(XdsState s) {
    JsonObject o = new JsonObject();
    o.addProperty("state", s.state());
    o.addProperty("nacks", s.nacks());
    o.addProperty("lastNack", s.lastNack());
    return o;
  }

  static JsonObject scrape(ScrapeStatus s) {
    JsonObject o = new JsonObject();
    o.addProperty("state", s.ok() ? "ok" : "error");
    o.addProperty("at", s.at().toString());
    o.addProperty("error", s.error());
    return o;
  }

  static JsonArray strings(Iterable<String> items) {
    JsonArray a = new JsonArray();
    items.forEach(a::add);
    return a;
  }


  private static void addNumberOrNull(JsonObject o, String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      o.add(name, com.google.gson.JsonNull.INSTANCE);
    } else {
      o.addProperty(name, round(value));
    }
  }

  /** Three decimals: enough for rates of one request a window, short enough to read. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
