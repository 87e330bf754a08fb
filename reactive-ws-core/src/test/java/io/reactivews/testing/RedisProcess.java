package io.reactivews.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real redis-server (Debian's, installed by .ci/install) on a free port with a temporary
 * directory of its own: never a system service, never a fixed port. {@link #kill()} is SIGKILL,
 * as a crash; {@link #start()} brings it back on the same port and directory. Stopped by {@link
 * #close()}, and by a JVM exit hook if a test never got there.
 *
 * <p>Without persistence (the default) a restart comes back empty; {@link #persistent()} keeps
 * an append-only file synced on every write, so a restart keeps every acknowledged write.
 */
public final class RedisProcess implements AutoCloseable {

  private static final String SERVER = "/usr/bin/redis-server";

  private final int port;
  private final Path dir;
  private final boolean persistent;
  private final Thread exitHook;
  private volatile ChildProcess process;

  private RedisProcess(int port, Path dir, boolean persistent) {
    this.port = port;
    this.dir = dir;
    this.persistent = persistent;
    this.exitHook = new Thread(this::stop, "redis-" + port + "-exit");
    Runtime.getRuntime().addShutdownHook(exitHook);
  }

  /** A Redis that forgets everything when it stops. */
  public static RedisProcess ephemeral() {
    return create(false).start();
  }

  /** A Redis that keeps every acknowledged write across a kill. */
  public static RedisProcess persistent() {
    return create(true).start();
  }

  /** A Redis not started yet: its port is chosen, nothing listens there. */
  public static RedisProcess notStarted() {
    return create(false);
  }

  private static RedisProcess create(boolean persistent) {
    try {
      return new RedisProcess(freePort(), Files.createTempDirectory("redis-"), persistent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public RedisProcess start() {
    List<String> argv = new ArrayList<>(List.of(SERVER, "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(), "--protected-mode", "no"));
    argv.addAll(persistent
        ? List.of("--appendonly", "yes", "--appendfsync", "always")
        : List.of("--appendonly", "no"));
    try {
      ChildProcess child = ChildProcess.start(argv);
      child.awaitLine(l -> l.contains("Ready to accept connections"), Duration.ofSeconds(10));
      process = child;
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(ChildProcess.INSTALL_HINT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: a crash, no shutdown, no final save. */
  public void kill() {
    stop();
  }

  private void stop() {
    ChildProcess child = process;
    process = null;
    if (child != null) {
      try {
        child.close();
        child.awaitExit(Duration.ofSeconds(5));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind harms nothing
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
