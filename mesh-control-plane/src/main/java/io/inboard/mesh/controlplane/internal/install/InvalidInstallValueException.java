package io.inboard.mesh.controlplane.internal.install;

/** A profile or {@code --set} value that install cannot take; the message is for people. */
public final class InvalidInstallValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInstallValueException(String message) {
    super(message);
  }
}
