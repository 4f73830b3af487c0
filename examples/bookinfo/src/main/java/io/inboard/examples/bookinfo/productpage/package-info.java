/**
 * productpage: the HTML page and JSON API (Jetty 12), calling details over HTTP, reviews over
 * gRPC and ratings over HTTP through the mesh's clients, and sending the user on as {@code
 * end-user} through the mesh's header propagation.
 */
package io.inboard.examples.bookinfo.productpage;
