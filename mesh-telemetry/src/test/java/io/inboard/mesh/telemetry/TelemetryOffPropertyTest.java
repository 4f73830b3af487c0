package io.inboard.mesh.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The system property {@code inboard.telemetry=off}, read by {@code MeshBuilder.build()}: a mesh
 * built while it is set has no telemetry although this module is on the class path (the
 * benchmarks' telemetry-off baseline); meshes built before or after keep theirs.
 */
class TelemetryOffPropertyTest {

  private static final String PROPERTY = "inboard.telemetry";

  @AfterEach
  void clearProperty() {
    System.clearProperty(PROPERTY);
  }

  @Test
  void build_withTelemetryOff_givesMeshWithoutTelemetryOrAdminServer() {
    System.setProperty(PROPERTY, "off");
    try (Mesh mesh = build()) {
      assertThat(InternalMesh.telemetry(mesh)).isSameAs(MeshTelemetry.NONE);
      assertThat(mesh.adminAddress()).isEmpty();
    }
  }

  @Test
  void build_withPropertyUnsetOrOtherValue_startsTelemetry() {
    try (Mesh unset = build()) {
      assertThat(InternalMesh.telemetry(unset)).isNotSameAs(MeshTelemetry.NONE);
      assertThat(unset.adminAddress()).isPresent();
    }
    System.setProperty(PROPERTY, "on");
    try (Mesh on = build()) {
      assertThat(InternalMesh.telemetry(on)).isNotSameAs(MeshTelemetry.NONE);
    }
  }

  private static Mesh build() {
    return Mesh.builder().workloadName("reviews-v2").namespace("default")
        .discovery(new StaticDiscovery()).adminPort(0).build();
  }
}
