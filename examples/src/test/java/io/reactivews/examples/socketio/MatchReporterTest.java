package io.reactivews.examples.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code socketio} program, run in process against the Node backend that ships with the
 * examples ({@code examples/socketio-backend}, installed by {@code .ci/install}).
 */
class MatchReporterTest {

  private static final Path BACKEND = Path.of("socketio-backend", "server.mjs");
  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern WINNER = Pattern.compile("(game-\\S+) won by (\\w+)");

  private static ChildProcess backend;
  private static String url;

  @BeforeAll
  static void startBackend() throws Exception {
    assertTrue(Files.isDirectory(BACKEND.resolveSibling("node_modules")),
        "the backend's packages are missing: " + ChildProcess.INSTALL_HINT);
    backend = ChildProcess.start(List.of("node", BACKEND.toString(), "--port", "0",
        "--token", "t0k3n"));
    String ready = backend.awaitLine(line -> line.contains("listening"), Duration.ofSeconds(30));
    Matcher port = PORT.matcher(ready);
    assertTrue(port.find(), ready);
    url = "http://127.0.0.1:" + port.group(1) + "/matches";
  }

  @AfterAll
  static void stopBackend() throws Exception {
    if (backend != null) {
      backend.close();
    }
  }

  /** Runs the program; returns its exit code, standard output and standard error. */
  private static List<String> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = MatchReporter.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return List.of(String.valueOf(exit), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyReportIsAcknowledgedAndTheReplayArrivesByteForByte() throws Exception {
    List<String> result = run("--url", url, "--token", "t0k3n", "--name", "game-7",
        "--matches", "2", "--kills", "4", "--pace", "0", "--seed", "3");
    String out = result.get(1);
    assertEquals("0", result.get(0), out + result.get(2));
    for (int seq = 1; seq <= 4; seq++) {
      assertEquals(2, count(out, "ack #" + seq + "\n"), "ack #" + seq + " in:\n" + out);
    }
    // The backend digests the binary attachment; the reporter checks it against its own.
    assertEquals(2, count(out, "sha256 verified"), out);
    assertEquals(2, count(out, "backend counted 4 events"), out);
    // Who won, as the reporter announced it, is what the backend recorded.
    Matcher announced = WINNER.matcher(out);
    while (announced.find()) {
      String line = announced.group(1) + " won by " + announced.group(2);
      backend.awaitLine(l -> l.startsWith(line), Duration.ofSeconds(5));
    }
    assertTrue(out.contains("leaderboard: "), out);
    assertTrue(out.endsWith("done: 2 matches reported and acknowledged\n"), out);
  }

  @Test
  void aWrongTokenIsRefusedWithTheBackendsReasonAndExitsOne() {
    List<String> result = run("--url", url, "--token", "wrong", "--pace", "0");
    assertEquals("1", result.get(0), result.get(1));
    assertTrue(result.get(2).contains("refused to connect /matches: invalid token"),
        result.get(2));
    assertTrue(result.get(2).contains("start the game server with the backend's --token"),
        "the refusal's data is shown: " + result.get(2));
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() {
    List<String> result = run("--matches", "0");
    assertEquals("2", result.get(0));
    assertTrue(result.get(2).contains("usage: socketio"), result.get(2));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
