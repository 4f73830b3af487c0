package io.inboard.mesh.http.internal.xds;

import java.net.http.HttpRequest;

/**
 * Marks a request body that can be subscribed to only once (a gateway's large streamed upload):
 * routes send no mirrored copy of it, and a retry of it fails rather than send it twice.
 */
public interface OneShotBody extends HttpRequest.BodyPublisher {}
