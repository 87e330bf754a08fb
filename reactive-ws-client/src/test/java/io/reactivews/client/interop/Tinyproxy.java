package io.reactivews.client.interop;

import io.reactivews.testing.ChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code tinyproxy} (installed by {@code .ci/install}) run in the foreground with a
 * config of its own in a temporary folder: it listens on a free port of 127.0.0.1, serves only
 * 127.0.0.1, allows {@code CONNECT} to the given ports alone, and logs each connection and
 * request to a file the test reads. Closing the handle stops it.
 */
final class Tinyproxy implements AutoCloseable {

  static final String BINARY = "/usr/bin/tinyproxy";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final ChildProcess process;
  private final int port;
  private final Path log;

  private Tinyproxy(ChildProcess process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a proxy that tunnels to {@code connectPorts} only. With no {@code ConnectPort} line
   * tinyproxy would allow every port, so the list must not be empty.
   */
  static Tinyproxy start(Path dir, int... connectPorts) throws Exception {
    if (connectPorts.length == 0) {
      throw new IllegalArgumentException("no ConnectPort would mean every port");
    }
    // The port is free when chosen; another process could take it before tinyproxy binds it,
    // so a start that fails to bind is tried again on a new port.
    AssertionError failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path log = dir.resolve("tinyproxy-" + port + ".log");
      StringBuilder config = new StringBuilder()
          .append("Listen 127.0.0.1\n")
          .append("Port ").append(port).append('\n')
          .append("Allow 127.0.0.1\n")
          .append("Timeout 60\n")
          .append("MaxClients 16\n")
          // Info logs "Accepting connections" once listening, and each request line.
          .append("LogLevel Info\n")
          .append("LogFile \"").append(log).append("\"\n")
          .append("PidFile \"").append(dir.resolve("tinyproxy-" + port + ".pid")).append("\"\n");
      for (int connectPort : connectPorts) {
        config.append("ConnectPort ").append(connectPort).append('\n');
      }
      Path conf = Files.writeString(dir.resolve("tinyproxy-" + port + ".conf"), config);
      ChildProcess process = ChildProcess.start(List.of(BINARY, "-d", "-c", conf.toString()));
      Tinyproxy proxy = new Tinyproxy(process, port, log);
      try {
        proxy.awaitLog("Accepting connections", START_TIMEOUT);
        return proxy;
      } catch (AssertionError e) {
        proxy.close();
        failure = e;
      }
    }
    throw failure;
  }

  int port() {
    return port;
  }

  /** The log so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Waits until the log holds {@code text}; fails if tinyproxy exits or the time runs out. */
  void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!log().contains(text)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("tinyproxy " + (process.isAlive() ? "did not log" : "exited "
            + "before logging") + " '" + text + "' within " + timeout + "\n--- log\n" + log()
            + process.outputs());
      }
      Thread.sleep(20);
    }
  }

  boolean isRunning() {
    return process.isAlive();
  }

  @Override
  public void close() throws IOException {
    process.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
