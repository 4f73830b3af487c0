package io.inboard.examples.bookinfo;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one bookinfo workload in this JVM until it is stopped:
 * {@code bookinfo WORKLOAD [options]}, for example {@code bookinfo reviews-v2 --ip 127.0.0.4}.
 * See {@link WorkloadOptions} for the options and their defaults. Exits with 2 on bad
 * arguments, naming the option, and 1 when the workload cannot start.
 */
public final class Bookinfo {

  private Bookinfo() {}

  public static void main(String[] args) throws InterruptedException {
    Workload workload;
    WorkloadOptions options;
    try {
      if (args.length == 0) {
        throw new IllegalArgumentException("no workload given (" + WorkloadOptions.usage() + ")");
      }
      workload = Workload.named(args[0]);
      options = WorkloadOptions.parse(Arrays.asList(args).subList(1, args.length), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("bookinfo: " + e.getMessage());
      System.exit(2);
      return;
    }
    RunningWorkload running;
    try {
      running = Workloads.start(workload, options);
    } catch (RuntimeException e) {
      System.err.println("bookinfo: " + workload.workloadName() + " failed to start: "
          + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "bookinfo-shutdown"));
    System.out.println("bookinfo: " + workload.workloadName() + " serving "
        + workload.protocol().portName() + " on " + options.bind() + ":" + running.port()
        + " (registered as " + options.instanceIp() + "), control plane "
        + String.join(",", options.controlPlanes()));
    System.out.println("admin " + workload.workloadName() + " " + running.adminUrl());
    stopped.await();
  }
}
