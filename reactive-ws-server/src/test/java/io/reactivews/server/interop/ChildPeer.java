package io.reactivews.server.interop;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer script from {@code .ci/peers/} run as a child process: the plan goes to its standard
 * input, its report comes from its standard output. It is killed, with its children, when it
 * outlives the timeout or the test is interrupted.
 *
 * <p>A missing interpreter or library is a failure, never a skip: CI installs every peer with
 * {@code .ci/install}, and a test that passes without its peer proves nothing.
 */
final class ChildPeer {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Exit code of a peer script whose library is not installed. */
  private static final int NOT_INSTALLED = 3;

  private static final String INSTALL_HINT = "run .ci/install (CI installs the interop peers)";

  private final List<String> command;

  private ChildPeer(List<String> command) {
    this.command = command;
  }

  /** {@code interpreter script}, the script found under {@code .ci/peers/}. */
  static ChildPeer of(String interpreter, String script) {
    return new ChildPeer(List.of(interpreter, peersDir().resolve(script).toString()));
  }

  /** The {@code .ci/peers} folder, found from the module's working directory upwards. */
  static Path peersDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path peers = dir.resolve(".ci").resolve("peers");
      if (Files.isRegularFile(peers.resolve("package.json"))) {
        return peers;
      }
    }
    throw new AssertionError(".ci/peers not found above " + Path.of("").toAbsolutePath());
  }

  /** Runs the peer against {@code url}; fails unless it exits 0 within the timeout. */
  PeerReport run(String url, EchoPlan plan) throws IOException, InterruptedException {
    File out = File.createTempFile("peer-", ".out");
    File err = File.createTempFile("peer-", ".err");
    List<String> argv = new ArrayList<>(command);
    argv.add(url);
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectOutput(out).redirectError(err).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command.get(0) + " (" + e.getMessage() + "): "
          + INSTALL_HINT, e);
    }
    try {
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(plan.toJson().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // A peer that exited at once (a missing library) closed its end: its exit code tells.
      }
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", argv) + " did not finish within " + TIMEOUT
            + "\n" + outputs(out, err));
      }
      int exit = process.exitValue();
      if (exit == NOT_INSTALLED) {
        throw new AssertionError("a peer library is missing: " + INSTALL_HINT + "\n"
            + outputs(out, err));
      }
      if (exit != 0) {
        throw new AssertionError(String.join(" ", argv) + " exited with " + exit + "\n"
            + outputs(out, err));
      }
      return PeerReport.parse(Files.readString(out.toPath(), StandardCharsets.UTF_8));
    } finally {
      // Normally a no-op; after a timeout, a failure or an interrupt it kills what is left.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  private static String outputs(File out, File err) throws IOException {
    return "--- stdout\n" + Files.readString(out.toPath(), StandardCharsets.UTF_8)
        + "--- stderr\n" + Files.readString(err.toPath(), StandardCharsets.UTF_8);
  }
}
