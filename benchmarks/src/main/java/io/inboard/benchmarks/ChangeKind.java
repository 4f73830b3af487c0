package io.inboard.benchmarks;

/**
 * A config change the benchmark times, and the xDS type it is meant to change. Every change
 * differs from the one before it, because the control plane pushes only a new version.
 */
enum ChangeKind {
  /** An endpoint added to the service (registered); taken away again, unmeasured, after. */
  EDS(XdsType.EDS, "endpoint added (ControlPlane.register)") {
    @Override
    void make(BenchService s, int seq) {
      s.addEndpoint();
    }

    @Override
    boolean needsReset() {
      return true;
    }

    @Override
    void reset(BenchService s) {
      s.removeEndpoint();
    }
  },
  /** The VirtualService's v1/v2 weights flipped between 80/20 and 20/80. */
  RDS(XdsType.RDS, "VirtualService weights 80/20 <-> 20/80 (apply)") {
    @Override
    void make(BenchService s, int seq) {
      s.virtualService(seq % 2 == 0 ? 80 : 20);
    }
  },
  /** The DestinationRule's connection-pool limit changed (a new value every time). */
  CDS(XdsType.CDS, "DestinationRule http2MaxRequests changed (apply)") {
    @Override
    void make(BenchService s, int seq) {
      s.destinationRule(1000 + seq);
    }
  };

  final XdsType type;
  final String description;

  ChangeKind(XdsType type, String description) {
    this.type = type;
    this.description = description;
  }

  /** Makes the {@code seq}-th change of this kind (counting from 0 over the whole run). */
  abstract void make(BenchService s, int seq);

  /** Whether {@link #reset} must follow each change, so that the next one is the same again. */
  boolean needsReset() {
    return false;
  }

  /** Undoes {@link #make}; not timed. */
  void reset(BenchService s) {}
}
