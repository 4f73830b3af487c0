/**
 * Inbound hooks for HTTP servers: {@link io.inboard.mesh.http.server.MeshServletFilter} for any
 * Jakarta Servlet 6 container (Jetty 12, Tomcat, Undertow) and
 * {@link io.inboard.mesh.http.server.MeshHttpServerFilter} for the JDK's built-in server. Both
 * make the request's context current, run the mesh's inbound guards and report Istio's
 * metrics; {@link io.inboard.mesh.http.server.Propagation} is their outbound half.
 */
package io.inboard.mesh.http.server;
