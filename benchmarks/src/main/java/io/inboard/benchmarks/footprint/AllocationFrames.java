package io.inboard.benchmarks.footprint;

import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recording's allocation goes: {@code jdk.ObjectAllocationSample} events of a JFR file,
 * their {@code weight} (the bytes each sample stands for) summed by three keys, the top of each
 * printed: the allocating frame (the innermost frame outside {@code java.}, {@code jdk.} and
 * {@code sun.}: whose code asked for the bytes), the innermost Inboard frame ({@code
 * io.inboard.mesh.}: which of the library's steps led there), and the allocated class.
 *
 * <pre>AllocationFrames in=alloc.jfr top=25</pre>
 */
public final class AllocationFrames {

  private AllocationFrames() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = HttpOverheadBenchmark.parseLine(String.join(" ", args));
    int top = Integer.parseInt(a.getOrDefault("top", "25"));
    Map<String, Long> byFrame = new HashMap<>();
    Map<String, Long> byInboard = new HashMap<>();
    Map<String, Long> byClass = new HashMap<>();
    long total = 0;
    long jfr = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a.get("in")))) {
      if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
        continue;
      }
      long w = e.getLong("weight");
      RecordedStackTrace st = e.getStackTrace();
      if (st != null && st.getFrames().stream().anyMatch(f ->
          f.getMethod().getType().getName().startsWith("jdk.jfr."))) {
        jfr += w; // the recording's own start and stop, not the calls
        continue;
      }
      total += w;
      byClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
      String frame = "(no stack)";
      String inboard = "(no Inboard frame)";
      if (st != null && !st.getFrames().isEmpty()) {
        RecordedFrame innermost = st.getFrames().get(0);
        frame = "(JDK only) " + innermost.getMethod().getType().getName() + "."
            + innermost.getMethod().getName();
        boolean frameSet = false;
        for (RecordedFrame f : st.getFrames()) {
          String type = f.getMethod().getType().getName();
          String name = type + "." + f.getMethod().getName();
          if (!frameSet && !type.startsWith("java.") && !type.startsWith("jdk.")
              && !type.startsWith("sun.")) {
            frame = name;
            frameSet = true;
          }
          if (type.startsWith("io.inboard.mesh.")) {
            inboard = name;
            break;
          }
        }
      }
      byFrame.merge(frame, w, Long::sum);
      byInboard.merge(inboard, w, Long::sum);
    }
    System.out.println("sampled allocation: " + total / (1024 * 1024) + " MiB in all ("
        + jfr / (1024 * 1024) + " MiB more by JFR itself left out)");
    print("allocating frame (innermost outside java/jdk/sun)", byFrame, total, top);
    print("innermost Inboard frame", byInboard, total, top);
    print("allocated class", byClass, total, top);
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
