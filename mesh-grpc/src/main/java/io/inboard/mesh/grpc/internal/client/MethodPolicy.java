package io.inboard.mesh.grpc.internal.client;

import io.inboard.mesh.api.policy.ClientPolicy;

/**
 * One RPC's client policy layer, from a method of a {@code @MeshClient} interface
 * ({@link ClientInterfaces}): {@code service} and {@code method} as gRPC spells them
 * ({@code grpc.testing.SimpleService}, {@code UnaryRpc}).
 */
public record MethodPolicy(String service, String method, ClientPolicy policy) {}
