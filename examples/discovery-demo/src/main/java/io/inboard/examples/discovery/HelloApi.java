package io.inboard.examples.discovery;

import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.http.annotation.Get;

/** The demo's declarative client: one interface per remote service, named logically. */
@MeshClient("hello:80")
@Timeout("2s")
@Retry(attempts = 2, retryOn = "connect-failure,reset,5xx")
interface HelloApi {
  @Get("/")
  String hello();
}
