package io.reactivews.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.chat.ChatServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerProgramTest {

  private static final String USAGE = "usage: chat [--host 127.0.0.1] [--port 8080]";

  @Test
  void aTakenPortIsReportedInWordsWithTheWayOut() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ServerProgram.CannotStart failure = assertThrows(ServerProgram.CannotStart.class,
          () -> ServerProgram.start(new String[] {"--port", String.valueOf(port)}, USAGE, 8080,
              (args, host, p) -> {
                var server = ChatServer.start(host, p);
                return new ServerProgram.Running("started",
                    () -> server.shutdown(Duration.ofSeconds(1)).block());
              }));
      assertEquals("cannot listen on 127.0.0.1:" + port + ": port " + port
          + " is already in use (another program, or this one still running?)\n"
          + "Start it on another port with --port, e.g. --port " + (port + 1)
          + " (--port 0 picks any free port and prints it).", failure.getMessage());
    }
  }

  @Test
  void aPortThatIsNotANumberShowsTheUsage() {
    ServerProgram.CannotStart failure = assertThrows(ServerProgram.CannotStart.class,
        () -> ServerProgram.start(new String[] {"--port", "eighty"}, USAGE, 8080,
            (args, host, port) -> {
              throw new AssertionError("must not start");
            }));
    assertEquals("--port takes a number, not eighty\n" + USAGE, failure.getMessage());
  }

  @Test
  void thePortGivenIsThePortUsed() throws Exception {
    int[] seen = new int[1];
    ServerProgram.Running running = ServerProgram.start(new String[] {"--port", "8123"}, USAGE,
        8080, (args, host, port) -> {
          seen[0] = port;
          return new ServerProgram.Running("b", () -> {});
        });
    assertTrue(running != null);
    assertEquals(8123, seen[0]);
  }
}
