package io.inboard.mesh.http.internal.lb;

/**
 * Picks an endpoint for one try. Instances are built when the endpoint set changes and are
 * then only read, from many threads at once.
 */
public interface EndpointPicker {

  /**
   * Picks an endpoint.
   *
   * @param hash the request's hash key for consistent hashing, ignored by other pickers
   * @param avoid the endpoint the previous try went to, or {@code null}; another one is picked
   *     when there is another
   * @return never {@code null}: pickers are only built over non-empty lists
   */
  EndpointState pick(long hash, EndpointState avoid);
}
