package io.inboard.mesh.k8s.internal;

/** What discovery knows about whether a namespace exists; checked only when a service is missing. */
enum NamespaceState {
  /** Not checked yet, or an event since makes the last answer stale. */
  UNKNOWN,
  /** A GET is in flight. */
  CHECKING,
  EXISTS,
  MISSING,
  /** The GET failed (for example forbidden by RBAC): report missing services as such. */
  UNKNOWABLE
}
