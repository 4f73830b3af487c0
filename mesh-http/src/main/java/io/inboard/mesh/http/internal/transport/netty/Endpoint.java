package io.inboard.mesh.http.internal.transport.netty;

/** Where connections go: a try's URI host and port, and whether it speaks TLS. */
record Endpoint(String host, int port, boolean tls) {}
