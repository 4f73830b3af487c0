package io.inboard.mesh.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code control-plane --injection-port N}: the webhook's port, printed as an {@code inject} line. */
class InjectionPortOptionTest {
  private static final Pattern INJECT =
      Pattern.compile("inject https://127\\.0\\.0\\.1:(\\d+)/inject");

  static PrintStream sink() {
    return new PrintStream(OutputStream.nullOutputStream());
  }

  @Test
  void controlPlane_servesTheWebhookOnTheInjectionPort_andPrintsIt() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    String state = Files.createTempDirectory("inboard-state").toString();
    Thread t = new Thread(() -> exit.set(InboardCtl.run(new String[] {"control-plane",
        "--xds-port", "0", "--admin-port", "0", "--injection-port", "0", "--state-dir", state},
        System.in, new PrintStream(out, true, StandardCharsets.UTF_8), sink())));
    t.start();
    try {
      Matcher m = await().atMost(Duration.ofSeconds(10)).until(
          () -> INJECT.matcher(out.toString(StandardCharsets.UTF_8)), Matcher::find);
      try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
        assertThat(s.isConnected()).isTrue();
      }
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(exit.get()).isZero();
  }

  @Test
  void injectionPortMinusOne_printsNoInjectLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String state = Files.createTempDirectory("inboard-state").toString();
    Thread t = new Thread(() -> InboardCtl.run(new String[] {"control-plane", "--xds-port", "0",
        "--admin-port", "0", "--injection-port", "-1", "--state-dir", state}, System.in,
        new PrintStream(out, true, StandardCharsets.UTF_8), sink()));
    t.start();
    try {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> out.toString(StandardCharsets.UTF_8).contains("root-cert "));
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("inject ");
  }

  @Test
  void aBadInjectionPort_isAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InboardCtl.run(new String[] {"control-plane", "--injection-port", "x"}, System.in,
        sink(), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(InboardCtl.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--injection-port: 'x' (expected: a port 0..65535, or -1 for no injection"
            + " webhook)");
  }
}
