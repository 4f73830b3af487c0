package io.inboard.e2e.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One document of a manifest file, read into fabric8's typed model.
 *
 * @param file the file's name, such as {@code bookinfo.yaml}
 * @param index the document's position in the file, from 1, as a reader counts them
 * @param resource the document as its typed class ({@code Service}, {@code Deployment}, ...)
 */
record ManifestDocument(String file, int index, HasMetadata resource) {

  /** {@code bookinfo.yaml#3 (Deployment details-v1)}: where a failure points a reader to. */
  String describe() {
    return file + "#" + index + " (" + resource.getKind() + " "
        + resource.getMetadata().getName() + ")";
  }
}
