package io.reactivews.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program a test runs beside itself: a peer script, a proxy. Its standard output is read line
 * by line as it comes, its standard error kept in a file for failure messages. {@link #close()}
 * kills it and its children, so a test that fails or times out leaves nothing running.
 *
 * <pre>{@code
 * try (ChildProcess peer = ChildProcess.start(List.of("node", "server.mjs"))) {
 *   String ready = peer.awaitLine(line -> line.contains("listening"), Duration.ofSeconds(10));
 *   ...
 * }
 * }</pre>
 *
 * <p>A program that cannot be started fails the test with a hint to run {@code .ci/install}:
 * CI installs every program the tests need, and a test that passes without it proves nothing.
 *
 * <p>Thread-safe.
 */
public final class ChildProcess implements AutoCloseable {

  /** What a failure says about a missing program or library. */
  public static final String INSTALL_HINT = "run .ci/install (CI installs the interop peers)";

  private final List<String> argv;
  private final Process process;
  private final File stderr;
  private final Thread reader;
  // Guarded by "this"; notified on each line and at the end of standard output.
  private final List<String> lines = new ArrayList<>();
  private boolean stdoutEnded;

  private ChildProcess(List<String> argv, Process process, File stderr) {
    this.argv = List.copyOf(argv);
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::readStdout, "child-" + process.pid());
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Starts {@code argv}; fails with {@link #INSTALL_HINT} when the program is not there. */
  public static ChildProcess start(List<String> argv) throws IOException {
    File stderr = File.createTempFile("child-", ".err");
    try {
      Process process = new ProcessBuilder(argv).redirectError(stderr).start();
      return new ChildProcess(argv, process, stderr);
    } catch (IOException e) {
      Files.deleteIfExists(stderr.toPath());
      throw new AssertionError("cannot start " + argv.get(0) + " (" + e.getMessage() + "): "
          + INSTALL_HINT, e);
    }
  }

  /** Writes {@code input} to the program's standard input and closes it. */
  public void sendAndCloseInput(byte[] input) {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    } catch (IOException e) {
      // A program that exited at once closed its end: its exit code and output tell why.
    }
  }

  /** Closes the program's standard input: the peer scripts take it as "stop". */
  public void closeInput() {
    sendAndCloseInput(new byte[0]);
  }

  /**
   * Waits for the first output line that {@code matches}; fails, showing the output so far, if
   * the program ends its output first or {@code timeout} passes.
   */
  public synchronized String awaitLine(Predicate<String> matches, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (true) {
      for (; checked < lines.size(); checked++) {
        if (matches.test(lines.get(checked))) {
          return lines.get(checked);
        }
      }
      long left = deadline - System.nanoTime();
      if (stdoutEnded || left <= 0) {
        throw new AssertionError(this + (stdoutEnded ? " ended its output" : " said nothing")
            + " before the line the test waits for (timeout " + timeout + ")\n" + outputs());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits for the program to exit and its output to be read; fails after {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(this + " did not finish within " + timeout + "\n" + outputs());
    }
    reader.join(timeout.toMillis());
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Standard output so far, one line each. */
  public synchronized String stdout() {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  /** Both outputs so far, for failure messages. */
  public String outputs() {
    String err;
    try {
      err = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err = "(unreadable: " + e.getMessage() + ")";
    }
    return "--- stdout of " + this + "\n" + stdout() + "--- stderr\n" + err;
  }

  /** Kills the program and its children if they still run; a no-op after a clean exit. */
  @Override
  public void close() throws IOException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr.toPath());
  }

  private void readStdout() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // Killed: what was read is kept.
    } finally {
      synchronized (this) {
        stdoutEnded = true;
        notifyAll();
      }
    }
  }

  @Override
  public String toString() {
    return String.join(" ", argv);
  }
}
