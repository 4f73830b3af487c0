package io.inboard.mesh.controlplane.internal.install;

import java.util.Arrays;
import java.util.Locale;

/**
 * The install profiles, as istioctl's: {@code minimal} is the CRDs and the control plane,
 * {@code default} adds the ingress gateway, {@code demo} adds tracing of every request, access
 * logs and small resource requests.
 */
public enum Profile {
  MINIMAL, DEFAULT, DEMO;

  /** The name on the command line, such as {@code default}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The profile named {@code value}.
   *
   * @throws InvalidInstallValueException naming {@code where} and the accepted names
   */
  public static Profile parse(String where, String value) {
    for (Profile p : values()) {
      if (p.id().equals(value)) {
        return p;
      }
    }
    throw new InvalidInstallValueException(where + ": '" + value + "' (expected: one of "
        + String.join(", ", Arrays.stream(values()).map(Profile::id).toList()) + ")");
  }
}
