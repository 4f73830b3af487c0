/**
 * xDS mode: channels whose routing, load balancing, retries and route timeouts come from the
 * control plane through grpc-xds. {@link io.inboard.mesh.grpc.internal.xds.MeshXds} keeps one
 * {@code XdsChannels} (one shared xDS client, one ADS stream) per mesh; {@link
 * io.inboard.mesh.grpc.internal.xds.XdsResolverProvider} resolves its private scheme with
 * grpc-xds's resolver behind an {@link io.inboard.mesh.grpc.internal.xds.InitialConfigGate},
 * which holds calls until the first usable config and then fails them with a message naming the
 * listener. {@link io.inboard.mesh.grpc.internal.xds.XdsMeshChannelFactory} builds a channel to
 * {@code NAME.NAMESPACE.svc.DOMAIN:PORT} and applies the client policy grpc-xds leaves to it
 * (timeout as default deadline, circuit breaker), warning about the rest.
 *
 * <p>Data in: xDS resources from the control plane, on grpc-xds's synchronization context, and
 * the client's policy layers. Data out: service configs and addresses to the channel, and a
 * channel carrying the interceptors of {@link io.inboard.mesh.grpc.internal.client}; the xDS
 * client's resources also go to the workload's {@code /debug/config_dump}.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.xds;
