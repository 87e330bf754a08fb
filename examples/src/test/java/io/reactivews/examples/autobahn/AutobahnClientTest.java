package io.reactivews.examples.autobahn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code autobahn-client} program against a fake fuzzing server with five small cases. */
class AutobahnClientTest {

  private static final int MAX = AutobahnClient.MAX_MESSAGE_SIZE;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void runsEveryCaseEchoingEachMessageThenUpdatesTheReports() {
    List<List<Message>> cases = List.of(
        List.of(Message.text("Hello, fuzzer")),
        List.of(Message.binary(bytes(256))),
        // 2-, 3- and 4-byte UTF-8, empty messages, and a 64-bit payload length.
        List.of(Message.text("h\u00e9llo \u4f60\u597d \ud83c\udf0d"), Message.text(""),
            Message.binary(new byte[0]), Message.binary(bytes(70_000))),
        List.of(Message.binary(bytes(MAX))));
    try (FakeFuzzingServer fuzzer = new FakeFuzzingServer(cases)) {
      int exit = run("--url", fuzzer.url(), "--agent", "reactive-ws test");

      assertEquals(0, exit, text(err));
      assertEquals(List.of("count", "case 1 by reactive-ws test", "case 2 by reactive-ws test",
          "case 3 by reactive-ws test", "case 4 by reactive-ws test", "update reactive-ws test"),
          fuzzer.requests);
      assertEquals(Map.of(1, true, 2, true, 3, true, 4, true), fuzzer.echoed);
      fuzzer.closes.values().forEach(status -> assertEquals(1000, status.code()));
      assertEquals(4, fuzzer.closes.size());
      assertTrue(text(out).contains("case 4/4: 1000"), text(out));
    }
  }

  @Test
  void aMessageOverSixteenMebibytesIsRefusedWith1009AndTheRunGoesOn() {
    List<List<Message>> cases = List.of(
        List.of(Message.binary(bytes(MAX + 1))),
        List.of(Message.text("still here")));
    try (FakeFuzzingServer fuzzer = new FakeFuzzingServer(cases)) {
      int exit = run("--url", fuzzer.url() + "/", "--agent", "big");

      assertEquals(0, exit, text(err));
      assertEquals(1009, fuzzer.closes.get(1).code());
      assertEquals(Map.of(1, false, 2, true), fuzzer.echoed, "nothing echoed in case 1");
      assertEquals("update big", fuzzer.requests.get(fuzzer.requests.size() - 1));
    }
  }

  @Test
  void urlAndAgentAreRequired() {
    assertEquals(2, run("--url", "ws://127.0.0.1:9001"));
    assertTrue(text(err).contains("--url and --agent are required"), text(err));
  }

  @Test
  void anUnreachableFuzzerExitsOne() throws Exception {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    assertEquals(1, run("--url", "ws://127.0.0.1:" + port, "--agent", "x"));
  }

  private int run(String... args) {
    return AutobahnClient.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
