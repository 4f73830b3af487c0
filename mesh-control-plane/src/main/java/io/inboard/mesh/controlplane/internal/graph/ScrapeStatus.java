package io.inboard.mesh.controlplane.internal.graph;

import java.time.Instant;

/**
 * How the last scrape of one workload went.
 *
 * @param address the admin address scraped
 * @param at when it finished
 * @param error why it failed, or {@code ""} when it succeeded
 */
record ScrapeStatus(String address, Instant at, String error) {
  boolean ok() {
    return error.isEmpty();
  }
}
