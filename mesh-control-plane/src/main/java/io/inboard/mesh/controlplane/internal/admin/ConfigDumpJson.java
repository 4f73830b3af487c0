package io.inboard.mesh.controlplane.internal.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.inboard.mesh.controlplane.WorkloadStatus;
import io.inboard.mesh.controlplane.XdsTypeStatus;
import io.inboard.mesh.controlplane.internal.ads.WorkloadTracker;
import java.util.List;

/**
 * A workload's config dump: its status, and per xDS type what it was last sent (the resources
 * as proto3 JSON, as Envoy's config dump shows them), the version it ACKed and its NACKs.
 */
public final class ConfigDumpJson {
  // every message the translator packs into an Any, so that JsonFormat can expand it
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
          .add(List.of(Listener.getDescriptor(), RouteConfiguration.getDescriptor(),
              Cluster.getDescriptor(), ClusterLoadAssignment.getDescriptor(),
              HttpConnectionManager.getDescriptor(), Router.getDescriptor(),
              HTTPFault.getDescriptor(), UpstreamTlsContext.getDescriptor()))
          .build());

  private ConfigDumpJson() {}

  /**
   * {@code any} with the private keys a cluster carries inline (a DestinationRule's {@code
   * credentialName}) replaced, so that the dump never shows them.
   */
  private static Any redacted(Any any) throws InvalidProtocolBufferException {
    if (!any.is(Cluster.class)) {
      return any;
    }
    Cluster c = any.unpack(Cluster.class);
    if (!c.hasTransportSocket() || !c.getTransportSocket().getTypedConfig()
        .is(UpstreamTlsContext.class)) {
      return any;
    }
    UpstreamTlsContext.Builder tls = c.getTransportSocket().getTypedConfig()
        .unpack(UpstreamTlsContext.class).toBuilder();
    for (TlsCertificate.Builder t : tls.getCommonTlsContextBuilder()
        .getTlsCertificatesBuilderList()) {
      if (t.hasPrivateKey() && t.getPrivateKey().getSpecifierCase()
          != DataSource.SpecifierCase.FILENAME) {
        t.setPrivateKey(DataSource.newBuilder().setInlineString("<redacted>"));
      }
    }
    Cluster.Builder out = c.toBuilder();
    out.getTransportSocketBuilder().setTypedConfig(Any.pack(tls.build()));
    return Any.pack(out.build());
  }

  public static JsonObject of(WorkloadStatus status, List<WorkloadTracker.Sent> sent) {
    JsonObject dump = new JsonObject();
    dump.add("workload", AdminJson.workload(status));
    JsonArray configs = new JsonArray();
    for (WorkloadTracker.Sent s : sent) {
      XdsTypeStatus t = status.xds().get(s.typeUrl());
      JsonObject o = t == null ? new JsonObject() : AdminJson.xdsType(t);
      o.addProperty("typeUrl", s.typeUrl());
      JsonArray resources = new JsonArray();
      s.resources().forEach(any -> resources.add(resource(any)));
      o.add("resources", resources);
      configs.add(o);
    }
    dump.add("configs", configs);
    return dump;
  }

  private static JsonObject resource(Any any) {
    try {
      return JsonParser.parseString(PRINTER.print(redacted(any))).getAsJsonObject();
    } catch (InvalidProtocolBufferException e) {
      // a type missing from the registry: show that it was sent rather than fail the dump
      JsonObject o = new JsonObject();
      o.addProperty("@type", any.getTypeUrl());
      o.addProperty("error", "not printable: " + e.getMessage());
      return o;
    }
  }
}
