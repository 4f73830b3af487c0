package io.inboard.benchmarks.footprint;

import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code summary.md} from the lines {@link FootprintProbe} and {@link AllocationProbe}
 * appended to {@code runs.txt}, with {@code env.txt} (machine, git rev, command) on top. Every
 * figure is set against the baseline of the same invocation: added heap and threads against
 * {@code mode=baseline} with the same number of services, first-call times against the
 * baseline's first direct call of the same protocol, allocation against the direct path of the
 * same protocol. Where a cell has several runs, the median is shown.
 *
 * <pre>FootprintReport in=runs.txt env=env.txt out=summary.md</pre>
 */
public final class FootprintReport {

  /** Issue 14's targets. */
  static final double HEAP_TARGET_MIB = 30;
  static final int HEAP_TARGET_SERVICES = 100;
  static final long ALLOC_TARGET_BYTES = 2048;

  private FootprintReport() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = HttpOverheadBenchmark.parseLine(String.join(" ", args));
    List<Map<String, String>> probes = new ArrayList<>();
    List<Map<String, String>> allocs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(a.get("in")))) {
      if (line.startsWith("alloc ")) {
        allocs.add(HttpOverheadBenchmark.parseLine(line));
      } else if (line.startsWith("mode=")) {
        probes.add(HttpOverheadBenchmark.parseLine(line));
      }
    }
    StringBuilder md = new StringBuilder("# Inboard footprint (issue 14)\n\n```\n");
    if (a.containsKey("env") && Files.exists(Path.of(a.get("env")))) {
      md.append(Files.readString(Path.of(a.get("env"))).trim()).append('\n');
    }
    md.append("```\n\n");
    heap(md, probes);
    threadNames(md, probes);
    firstCall(md, probes);
    allocation(md, allocs);
    Files.writeString(Path.of(a.get("out")), md);
  }

  private static void heap(StringBuilder md, List<Map<String, String>> probes) {
    md.append("## Heap and threads with N services watched\n\n")
        .append("Heap used after full GCs (`System.gc()` ×4, 200 ms apart) in the measured JVM,"
            + " which holds an HTTP client and one gRPC channel per service, one call made on"
            + " each. Added = the mode's figure minus the baseline's with the same N (no mesh,"
            + " same entry classes initialized, a bare JDK client and one plain grpc-netty"
            + " channel per service). The control plane and the mock API server run in another"
            + " JVM: nothing of them is in these figures. Target: at most "
            + (int) HEAP_TARGET_MIB + " MiB added at " + HEAP_TARGET_SERVICES + " services.\n\n")
        .append("| services | mode | runs | heap MiB | added MiB | added MiB per service"
            + " | live threads | added threads | setup of all N ms | verdict |\n")
        .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int n : new TreeSet<>(probes.stream().map(p -> Integer.parseInt(p.get("services")))
        .toList())) {
      List<Map<String, String>> base = select(probes, "baseline", n);
      double baseHeap = median(base, p -> mib(p.get("heapBytes")));
      double baseThreads = median(base, p -> Double.parseDouble(p.get("threads")));
      for (String mode : List.of("baseline", "xds", "k8s")) {
        List<Map<String, String>> runs = select(probes, mode, n);
        if (runs.isEmpty()) {
          continue;
        }
        double heap = median(runs, p -> mib(p.get("heapBytes")));
        double threads = median(runs, p -> Double.parseDouble(p.get("threads")));
        double setup = median(runs, p -> Double.parseDouble(p.get("allCalledMs")));
        boolean isBase = mode.equals("baseline");
        double added = heap - baseHeap;
        String verdict = isBase || base.isEmpty() ? ""
            : n == HEAP_TARGET_SERVICES ? (added <= HEAP_TARGET_MIB ? "**met**"
                : "**missed** by " + f1(added - HEAP_TARGET_MIB) + " MiB") : "";
        md.append("| ").append(n).append(" | ").append(mode).append(" | ").append(runs.size())
            .append(" | ").append(f1(heap))
            .append(" | ").append(isBase || base.isEmpty() ? "" : f1(added))
            .append(" | ").append(isBase || base.isEmpty() ? "" : f2(added / n))
            .append(" | ").append((int) threads)
            .append(" | ").append(isBase || base.isEmpty() ? "" : "+" + (int) (threads - baseThreads))
            .append(" | ").append((int) setup).append(" | ").append(verdict).append(" |\n");
      }
    }
    md.append('\n');
  }

  /** The thread names a mode adds over the baseline at the largest N measured. */
  private static void threadNames(StringBuilder md, List<Map<String, String>> probes) {
    int n = probes.stream().mapToInt(p -> Integer.parseInt(p.get("services"))).max().orElse(0);
    List<Map<String, String>> base = select(probes, "baseline", n);
    if (base.isEmpty()) {
      return;
    }
    Map<String, Integer> baseNames = names(base.get(0).get("threadNames"));
    md.append("Threads added over the baseline at ").append(n)
        .append(" services, by name (digits shown as `#`; negative: fewer than the baseline's"
            + " direct clients):\n\n| mode | threads added |\n|---|---|\n");
    for (String mode : List.of("xds", "k8s")) {
      List<Map<String, String>> runs = select(probes, mode, n);
      if (runs.isEmpty()) {
        continue;
      }
      Map<String, Integer> names = names(runs.get(0).get("threadNames"));
      Map<String, Integer> diff = new TreeMap<>();
      TreeSet<String> all = new TreeSet<>(names.keySet());
      all.addAll(baseNames.keySet());
      for (String k : all) {
        int d = names.getOrDefault(k, 0) - baseNames.getOrDefault(k, 0);
        if (d != 0) {
          diff.put(k, d);
        }
      }
      StringBuilder cell = new StringBuilder();
      diff.forEach((k, d) -> cell.append(cell.length() == 0 ? "" : ", ").append('`').append(k)
          .append("` ").append(d > 0 ? "+" : "").append(d));
      md.append("| ").append(mode).append(" | ").append(cell).append(" |\n");
    }
    md.append('\n');
  }

  private static void firstCall(StringBuilder md, List<Map<String, String>> probes) {
    md.append("## Time from JVM start to the first routed call\n\n")
        .append("From the JVM's start (runtime MXBean) to the response of the first call, in a"
            + " fresh JVM; the mesh (or the bare client) is built in that time, so JVM boot,"
            + " class loading, the first xDS or Kubernetes API round trips and the first"
            + " connection are all in it. Baseline: the same JVM's first direct call.\n\n")
        .append("| services | protocol | mode | runs | first call ms | over baseline ms"
            + " | ratio | of which mesh built ms |\n|---:|---|---|---:|---:|---:|---:|---:|\n");
    for (int n : new TreeSet<>(probes.stream().map(p -> Integer.parseInt(p.get("services")))
        .toList())) {
      for (String proto : List.of("http", "grpc")) {
        List<Map<String, String>> base = select(probes, "baseline", n).stream()
            .filter(p -> proto.equals(p.get("first"))).toList();
        double b = median(base, p -> Double.parseDouble(p.get("firstCallMs")));
        for (String mode : List.of("baseline", "xds", "k8s")) {
          List<Map<String, String>> runs = select(probes, mode, n).stream()
              .filter(p -> proto.equals(p.get("first"))).toList();
          if (runs.isEmpty()) {
            continue;
          }
          double ms = median(runs, p -> Double.parseDouble(p.get("firstCallMs")));
          double build = median(runs, p -> Double.parseDouble(p.get("buildMs")));
          boolean isBase = mode.equals("baseline") || base.isEmpty();
          md.append("| ").append(n).append(" | ").append(proto).append(" | ").append(mode)
              .append(" | ").append(runs.size()).append(" | ").append((int) ms)
              .append(" | ").append(isBase ? "" : signed(ms - b))
              .append(" | ").append(isBase ? "" : f2(ms / b))
              .append(" | ").append((int) build).append(" |\n");
        }
      }
    }
    md.append('\n');
  }

  private static void allocation(StringBuilder md, List<Map<String, String>> allocs) {
    if (allocs.isEmpty()) {
      return;
    }
    md.append("## Allocation per call\n\n")
        .append("Bytes allocated per call, summed over every live Java thread of the client JVM"
            + " (`ThreadMXBean.getThreadAllocatedBytes`; the calling thread, executors,"
            + " selectors, event loops, timers, the xDS client), one call in flight; servers in"
            + " other JVMs. Over direct = against the direct path of the same protocol. Target:"
            + " at most " + ALLOC_TARGET_BYTES + " bytes per call over direct. Thread starts"
            + " during the measured calls are shown because a thread that ended is not counted"
            + " (0: nothing lost). `http-direct-headers` is the bare client sending the headers a"
            + " mesh call adds on the wire (peer metadata, `x-forwarded-host`): against it, what"
            + " the library itself allocates, without what the JDK client spends on those"
            + " bytes. `grpc-direct-xdscreds` is a plain channel on the transport every xDS"
            + " channel has (grpc-netty-shaded behind grpc-xds's `XdsChannelCredentials`, which"
            + " carry the xDS-configured mTLS; plaintext here): against it, what routing through"
            + " xDS and the library allocate.\n\n")
        .append("| path | rounds | bytes per call | over direct | verdict | over the direct path"
            + " with the mesh's headers or transport | µs per call (1 in flight) | thread starts"
            + " | bytes per call by"
            + " thread (median round) |\n|---|---:|---:|---:|---|---:|---:|---:|---|\n");
    Map<String, List<Map<String, String>>> byPath = new LinkedHashMap<>();
    for (Map<String, String> r : allocs) {
      byPath.computeIfAbsent(r.get("path"), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Map<String, String>>> e : new TreeMap<>(byPath).entrySet()) {
      String path = e.getKey();
      double bytes = median(e.getValue(), r -> Double.parseDouble(r.get("bytesPerCall")));
      double us = median(e.getValue(), r -> Double.parseDouble(r.get("usPerCall")));
      long starts = e.getValue().stream().mapToLong(r -> Long.parseLong(r.get("threadStarts")))
          .sum();
      String direct = path.substring(0, path.indexOf('-')) + "-direct";
      // http-direct-headers is a direct path too, set against http-direct
      boolean isDirect = path.equals(direct) || !byPath.containsKey(direct);
      double over = isDirect ? 0 : bytes - median(byPath.get(direct),
          r -> Double.parseDouble(r.get("bytesPerCall")));
      String like = path.startsWith("http-") ? "http-direct-headers" : "grpc-direct-xdscreds";
      boolean directVariant = path.equals(like);
      String withHeaders = "";
      if (!isDirect && !directVariant && byPath.containsKey(like)) {
        withHeaders = signed(bytes - median(byPath.get(like),
            r -> Double.parseDouble(r.get("bytesPerCall"))));
      }
      List<Map<String, String>> sorted = new ArrayList<>(e.getValue());
      sorted.sort((x, y) -> Long.compare(Long.parseLong(x.get("bytesPerCall")),
          Long.parseLong(y.get("bytesPerCall"))));
      String byThread = sorted.get(sorted.size() / 2).getOrDefault("byThread", "")
          .replace(",", ", ");
      boolean judged = !isDirect && !directVariant;
      md.append("| ").append(path).append(" | ").append(e.getValue().size())
          .append(" | ").append((long) bytes)
          .append(" | ").append(isDirect ? "" : signed(over))
          .append(" | ").append(!judged ? "" : over <= ALLOC_TARGET_BYTES ? "**met**"
              : "**missed** by " + (long) (over - ALLOC_TARGET_BYTES) + " B")
          .append(" | ").append(withHeaders)
          .append(" | ").append((long) us).append(" | ").append(starts)
          .append(" | ").append(byThread).append(" |\n");
    }
    md.append('\n');
  }

  private static List<Map<String, String>> select(List<Map<String, String>> probes, String mode,
      int n) {
    return probes.stream().filter(p -> mode.equals(p.get("mode"))
        && Integer.parseInt(p.get("services")) == n).toList();
  }

  private static Map<String, Integer> names(String list) {
    Map<String, Integer> m = new TreeMap<>();
    if (list != null && !list.isEmpty()) {
      for (String e : list.split(",")) {
        int c = e.lastIndexOf(':');
        m.put(e.substring(0, c), Integer.parseInt(e.substring(c + 1)));
      }
    }
    return m;
  }

  private static double median(List<Map<String, String>> rows,
      ToDoubleFunction<Map<String, String>> f) {
    double[] v = rows.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double mib(String bytes) {
    return Long.parseLong(bytes) / (1024.0 * 1024.0);
  }

  private static String signed(double v) {
    return (v >= 0 ? "+" : "") + (long) v;
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
