package io.reactivews.examples.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.TextClient;
import io.reactivews.testing.RedisProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, run the way README says: {@code java -jar
 * examples/target/reactive-ws-examples.jar <program>}, each program started as its own process
 * and spoken to over a socket. Runs after {@code package} (failsafe), so it tests what users get.
 */
class ExamplesJarIT {

  private static final Path JAR = Path.of("target/reactive-ws-examples.jar");
  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void helpListsEveryProgramAndEachHasItsOwnHelp() throws Exception {
    String help = run(List.of("--help"), "");
    for (String program : List.of("chat", "stats", "events", "echo", "client", "socketio",
        "autobahn-client")) {
      assertTrue(help.contains(program), program + " missing from --help:\n" + help);
      assertTrue(run(List.of(program, "--help"), "").toLowerCase().contains("usage"),
          program + " --help");
    }
  }

  @Test
  void chatServesItsPageAndRelaysLines() throws Exception {
    int port = startServer("chat");
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    try (TextClient alice = new TextClient("ws://127.0.0.1:" + port + "/chat")) {
      alice.send("{\"type\":\"join\",\"name\":\"alice\"}");
      alice.nextContaining("welcome");
      alice.send("{\"type\":\"say\",\"text\":\"hello from the jar\"}");
      assertTrue(alice.nextContaining("said").contains("hello from the jar"));
    }
  }

  /**
   * Two chat processes on one Redis, as README runs them, are one room: each process's first
   * session, both named alice, are two members, not one (ids must not repeat across processes).
   */
  @Test
  void twoChatProcessesOnOneRedisAreOneRoom() throws Exception {
    try (RedisProcess redis = RedisProcess.ephemeral()) {
      int one = startServer("chat", "--redis", redis.uri());
      int two = startServer("chat", "--redis", redis.uri());
      try (TextClient first = new TextClient("ws://127.0.0.1:" + one + "/chat");
          TextClient second = new TextClient("ws://127.0.0.1:" + two + "/chat")) {
        first.send("{\"type\":\"join\",\"name\":\"alice\"}");
        first.nextContaining("welcome");
        second.send("{\"type\":\"join\",\"name\":\"alice\"}");
        String welcome = second.nextContaining("welcome");
        assertTrue(welcome.contains("[\"alice\",\"alice\"]"), welcome);
        assertTrue(first.nextContaining("\"count\":2").contains("joined"));
        second.send("{\"type\":\"say\",\"text\":\"from the other process\"}");
        assertTrue(first.nextContaining("said").contains("from the other process"));
      }
    }
  }

  @Test
  void statsPushesTheScoreboard() throws Exception {
    int port = startServer("stats", "--period-ms", "50");
    try (TextClient viewer = new TextClient("ws://127.0.0.1:" + port + "/stats")) {
      assertTrue(viewer.next().startsWith("{\"type\":\"scoreboard\""));
      assertTrue(viewer.nextContaining("\"type\":\"kill\"").contains("weapon"));
    }
  }

  @Test
  void eventsAnswersWithTheRequestId() throws Exception {
    int port = startServer("events");
    try (TextClient client = new TextClient("ws://127.0.0.1:" + port + "/events")) {
      client.send("{\"type\":\"get_scores\",\"id\":3}");
      assertTrue(client.next().startsWith("{\"type\":\"scores\",\"id\":3"));
    }
  }

  @Test
  void theCommandLineClientTalksToTheEchoServer() throws Exception {
    int port = startServer("echo");
    String out = run(List.of("client", "ws://127.0.0.1:" + port + "/"), "one\ntwo ✓\n");
    assertTrue(out.contains("one") && out.contains("two ✓"), out);
  }

  @Test
  void socketioReportsToTheBackendThatShipsWithTheExamples() throws Exception {
    Process backend = new ProcessBuilder("node", "socketio-backend/server.mjs", "--port", "0")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    started.add(backend);
    int port = portInBanner("the Socket.IO backend", backend);
    String out = run(List.of("socketio", "--url", "http://127.0.0.1:" + port + "/matches",
        "--matches", "1", "--kills", "3", "--pace", "0"), "");
    assertTrue(out.contains("ack #3") && out.contains("sha256 verified")
        && out.contains("done: 1 match reported"), out);
  }

  @Test
  void chatOnATakenPortSaysSoAndOffersAnotherPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Process chat = launch(List.of("chat", "--port", String.valueOf(port)),
          ProcessBuilder.Redirect.PIPE);
      started.add(chat);
      String said = new String(chat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(chat.waitFor(30, TimeUnit.SECONDS), "chat did not stop");
      assertEquals(2, chat.exitValue(), said);
      assertTrue(said.startsWith("cannot listen on 127.0.0.1:" + port + ": port " + port
          + " is already in use") && said.contains("--port " + (port + 1))
          && !said.contains("Exception"), said);
    }
  }

  /** Starts a server program on a free port and returns the port its banner names. */
  private int startServer(String program, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of(program, "--port", "0"));
    args.addAll(List.of(extra));
    Process process = launch(args);
    started.add(process);
    return portInBanner(program, process);
  }

  /** The port named in the first line a process prints. */
  private static int portInBanner(String program, Process process) throws IOException {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertTrue(line != null, program + " printed nothing");
    Matcher m = PORT.matcher(line);
    assertTrue(m.find(), "no address in: " + line);
    return Integer.parseInt(m.group(1));
  }

  /** Runs a program to its end with {@code input} on stdin; returns what it printed. */
  private String run(List<String> args, String input) throws Exception {
    Process process = launch(args);
    started.add(process);
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not end: " + args);
    return out;
  }

  private static Process launch(List<String> args) throws IOException {
    return launch(args, ProcessBuilder.Redirect.INHERIT);
  }

  private static Process launch(List<String> args, ProcessBuilder.Redirect errors)
      throws IOException {
    assertTrue(Files.isRegularFile(JAR), "build the jar first: mvn package");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(errors).start();
  }
}
