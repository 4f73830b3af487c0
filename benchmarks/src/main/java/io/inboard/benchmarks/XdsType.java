package io.inboard.benchmarks;

/** The four xDS types a grpc-xds client subscribes to, by their type URLs. */
enum XdsType {
  LDS("type.googleapis.com/envoy.config.listener.v3.Listener"),
  RDS("type.googleapis.com/envoy.config.route.v3.RouteConfiguration"),
  CDS("type.googleapis.com/envoy.config.cluster.v3.Cluster"),
  EDS("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment");

  final String typeUrl;

  XdsType(String typeUrl) {
    this.typeUrl = typeUrl;
  }
}
