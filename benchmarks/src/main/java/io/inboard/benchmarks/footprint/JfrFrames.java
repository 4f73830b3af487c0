package io.inboard.benchmarks.footprint;

import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's allocation ({@code event=alloc}: {@code jdk.ObjectAllocationSample},
 * each sample weighted by the bytes it stands for) or CPU time ({@code event=cpu}: {@code
 * jdk.ExecutionSample}, one per sample) goes, the top of each key printed:
 *
 * <ul>
 *   <li>the leaf frame outside {@code java.}, {@code jdk.} and {@code sun.}: whose code asked;
 *   <li>the owning step: the innermost frame of Inboard ({@code io.inboard.mesh.}) or of grpc-xds
 *       ({@code io.grpc.xds.}), so that what grpc-xds does per call is told apart from what
 *       Inboard does (an outer Inboard frame such as a call's {@code start} would otherwise claim
 *       all of gRPC below it);
 *   <li>inclusive, by frame: the share of samples with that Inboard, grpc-xds or OpenTelemetry
 *       frame anywhere on the stack;
 *   <li>for allocation, the allocated class.
 * </ul>
 *
 * Samples taken inside JFR itself (its start and stop) are left out.
 *
 * <pre>JfrFrames in=alloc.jfr event=alloc top=25</pre>
 */
public final class JfrFrames {

  private JfrFrames() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = HttpOverheadBenchmark.parseLine(String.join(" ", args));
    int top = Integer.parseInt(a.getOrDefault("top", "25"));
    boolean cpu = a.getOrDefault("event", "alloc").equals("cpu");
    String event = cpu ? "jdk.ExecutionSample" : "jdk.ObjectAllocationSample";
    Map<String, Long> byLeaf = new HashMap<>();
    Map<String, Long> byOwner = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> byClass = new HashMap<>();
    long total = 0;
    long jfr = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a.get("in")))) {
      if (!e.getEventType().getName().equals(event)) {
        continue;
      }
      long w = cpu ? 1 : e.getLong("weight");
      RecordedStackTrace st = e.getStackTrace();
      List<RecordedFrame> frames = st == null ? List.of() : st.getFrames();
      if (frames.stream().anyMatch(f -> f.getMethod().getType().getName().startsWith("jdk.jfr."))) {
        jfr += w;
        continue;
      }
      total += w;
      if (!cpu) {
        byClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
      }
      String leaf = frames.isEmpty() ? "(no stack)" : "(JDK only) " + name(frames.get(0));
      String owner = "(neither Inboard nor grpc-xds)";
      boolean leafSet = false;
      boolean ownerSet = false;
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String type = f.getMethod().getType().getName();
        String name = name(f);
        if (!leafSet && !type.startsWith("java.") && !type.startsWith("jdk.")
            && !type.startsWith("sun.")) {
          leaf = name;
          leafSet = true;
        }
        boolean ours = type.startsWith("io.inboard.mesh.") || type.startsWith("io.grpc.xds.");
        if (!ownerSet && ours) {
          owner = name;
          ownerSet = true;
        }
        if ((ours || type.startsWith("io.opentelemetry.")) && seen.add(name)) {
          inclusive.merge(name, w, Long::sum);
        }
      }
      byLeaf.merge(leaf, w, Long::sum);
      byOwner.merge(owner, w, Long::sum);
    }
    String unit = cpu ? " samples" : " MiB";
    long shown = cpu ? total : total / (1024 * 1024);
    long left = cpu ? jfr : jfr / (1024 * 1024);
    System.out.println((cpu ? "CPU samples: " : "sampled allocation: ") + shown + unit
        + " in all (" + left + unit + " more by JFR itself left out)");
    print("leaf frame (innermost outside java/jdk/sun)", byLeaf, total, top);
    print("owning step (innermost Inboard or grpc-xds frame)", byOwner, total, top);
    print("inclusive (Inboard, grpc-xds, OpenTelemetry frames anywhere on the stack)", inclusive,
        total, top);
    if (!cpu) {
      print("allocated class", byClass, total, top);
    }
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> m, long total, int top) {
    System.out.println("\n" + title + ":");
    List<Map.Entry<String, Long>> e = new ArrayList<>(m.entrySet());
    e.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
    for (Map.Entry<String, Long> x : e.subList(0, Math.min(top, e.size()))) {
      System.out.println(String.format(Locale.ROOT, "  %5.1f%%  %s",
          100.0 * x.getValue() / Math.max(1, total), x.getKey()));
    }
  }
}
