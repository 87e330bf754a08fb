package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer script from {@code .ci/peers/} run as a {@link ChildProcess}: a client that runs an
 * {@link EchoPlan} given on its standard input and exits ({@link #run}), or an echo server that
 * runs until its standard input ends ({@link #serve}). Either way its report comes from its
 * standard output, one JSON line per check ({@link PeerReport}).
 *
 * <p>A missing interpreter or library is a failure, never a skip: the scripts exit with {@value
 * #NOT_INSTALLED} when their library is missing, and the failure says {@link
 * ChildProcess#INSTALL_HINT}.
 */
public final class ChildPeer {

  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Debian's interpreter: the {@code python3} first on {@code PATH} may not see its packages. */
  public static final String DEBIAN_PYTHON = "/usr/bin/python3";

  /** Exit code of a peer script whose library is not installed. */
  private static final int NOT_INSTALLED = 3;

  private final List<String> command;

  private ChildPeer(List<String> command) {
    this.command = command;
  }

  /** {@code interpreter script}, the script found under {@code .ci/peers/}. */
  public static ChildPeer of(String interpreter, String script) {
    return new ChildPeer(List.of(interpreter, peersDir().resolve(script).toString()));
  }

  /** A script run by Node, which finds {@code ws} in {@code .ci/peers/node_modules}. */
  public static ChildPeer node(String script) {
    return of("node", script);
  }

  /** A script run by {@link #DEBIAN_PYTHON}, which sees Debian's {@code python3-websockets}. */
  public static ChildPeer debianPython(String script) {
    return of(DEBIAN_PYTHON, script);
  }

  /** The {@code .ci/peers} folder, found from the module's working directory upwards. */
  public static Path peersDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path peers = dir.resolve(".ci").resolve("peers");
      if (Files.isRegularFile(peers.resolve("package.json"))) {
        return peers;
      }
    }
    throw new AssertionError(".ci/peers not found above " + Path.of("").toAbsolutePath());
  }

  /** Runs the client script against {@code url}; fails unless it exits 0 within the timeout. */
  public PeerReport run(String url, EchoPlan plan) throws IOException, InterruptedException {
    try (ChildProcess process = ChildProcess.start(argv(url))) {
      process.sendAndCloseInput(plan.toJson().getBytes(StandardCharsets.UTF_8));
      requireSuccess(process, process.awaitExit(TIMEOUT));
      return PeerReport.parse(process.stdout());
    }
  }

  /**
   * Starts the server script with {@code args} and waits for its {@code listening} line; {@link
   * ServingPeer#stop()} ends it and returns its report.
   */
  public ServingPeer serve(String... args) throws IOException, InterruptedException {
    ChildProcess process = ChildProcess.start(argv(args));
    boolean started = false;
    try {
      String listening;
      try {
        listening = process.awaitLine(l -> l.contains("\"listening\""), Duration.ofSeconds(20));
      } catch (AssertionError e) {
        if (!process.isAlive()) {
          requireSuccess(process, process.awaitExit(Duration.ofSeconds(5)));
        }
        throw e;
      }
      int port = PeerReport.parse(listening).one("listening").path("port").asInt();
      started = true;
      return new ServingPeer(process, port);
    } finally {
      if (!started) {
        process.close();
      }
    }
  }

  /** Fails unless {@code exit} is 0, saying what to install when the peer found no library. */
  static void requireSuccess(ChildProcess process, int exit) {
    if (exit == NOT_INSTALLED) {
      throw new AssertionError("a peer library is missing: " + ChildProcess.INSTALL_HINT + "\n"
          + process.outputs());
    }
    if (exit != 0) {
      throw new AssertionError(process + " exited with " + exit + "\n" + process.outputs());
    }
  }

  /** Checks a {@code peer} line: Node's {@code ws}, at the version the committed lockfile pins. */
  public static void assertIsPinnedNodeWs(JsonNode peer) throws IOException {
    Path lock = peersDir().resolve("package-lock.json");
    String pinned = new JsonMapper().readTree(lock.toFile())
        .path("packages").path("node_modules/ws").path("version").asText();
    assertEquals("ws", peer.path("name").asText());
    assertEquals(pinned, peer.path("version").asText(),
        "the installed ws differs from the lockfile's: run .ci/install");
  }

  /** Checks a {@code peer} line: Python's {@code websockets}, from Debian's package. */
  public static void assertIsDebianWebsockets(JsonNode peer) {
    assertEquals("websockets", peer.path("name").asText());
    String module = peer.path("module").asText();
    assertTrue(module.startsWith("/usr/lib/python3/dist-packages/websockets/"),
        "websockets should come from Debian's python3-websockets, not " + module);
  }

  private List<String> argv(String... args) {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(List.of(args));
    return argv;
  }
}
