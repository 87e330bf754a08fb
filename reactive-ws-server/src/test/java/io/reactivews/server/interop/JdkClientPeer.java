package io.reactivews.server.interop;

import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.PeerReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code java.net.http.WebSocket} client running an {@link EchoPlan} in process and
 * writing the same report lines as the child-process peers.
 */
final class JdkClientPeer {

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

  private sealed interface Event {}

  private record Echo(String type, long length, String sha256) implements Event {}

  private record Closed(int code, String reason) implements Event {}

  private record Failed(Throwable error) implements Event {}

  PeerReport run(String url, EchoPlan plan) throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(PeerReport.line("check", "peer", "name", "java.net.http",
        "version", Runtime.version().toString(), "runtime", "java " + Runtime.version()))
        .append('\n');
    BlockingQueue<Event> inbox = new LinkedBlockingQueue<>();
    List<String> offered = plan.subprotocols();
    WebSocket ws = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
        .newWebSocketBuilder()
        .subprotocols(offered.get(0), offered.subList(1, offered.size()).toArray(String[]::new))
        .buildAsync(URI.create(url), new Recorder(inbox))
        .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    try {
      report.append(PeerReport.line("check", "open", "subprotocol", ws.getSubprotocol(),
          "extensions", "")).append('\n');
      for (int index = 0; index < plan.messages().size(); index++) {
        EchoPlan.Planned message = plan.messages().get(index);
        CompletableFuture<WebSocket> sent = message.binary()
            ? ws.sendBinary(ByteBuffer.wrap(message.bytes()), true)
            : ws.sendText(message.textPayload(), true);
        sent.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!(next(inbox) instanceof Echo echo)) {
          throw new AssertionError("expected the echo of message " + index + "\n" + report);
        }
        report.append(PeerReport.line("check", "echo", "index", index, "type", echo.type(),
            "length", echo.length(), "sha256", echo.sha256())).append('\n');
      }
      ws.sendClose(plan.closeCode(), plan.closeReason())
          .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!(next(inbox) instanceof Closed closed)) {
        throw new AssertionError("expected the server's close\n" + report);
      }
      report.append(PeerReport.line("check", "close", "code", closed.code(),
          "reason", closed.reason())).append('\n');
      return PeerReport.parse(report.toString());
    } finally {
      ws.abort();
    }
  }

  private static Event next(BlockingQueue<Event> inbox) throws Exception {
    Event event = inbox.poll(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("nothing from the server within " + STEP_TIMEOUT);
    }
    if (event instanceof Failed failed) {
      throw new AssertionError("the JDK client failed", failed.error());
    }
    return event;
  }

  /** Reassembles messages from the parts the JDK hands over, one part at a time. */
  private static final class Recorder implements WebSocket.Listener {

    private final BlockingQueue<Event> inbox;
    // Text is kept whole: a part may end between the two halves of a surrogate pair.
    private final StringBuilder text = new StringBuilder();
    private final MessageDigest binary = EchoPlan.sha256Digest();
    private long binaryLength;

    Recorder(BlockingQueue<Event> inbox) {
      this.inbox = inbox;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        inbox.add(new Echo("text", bytes.length, EchoPlan.sha256(bytes)));
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      binaryLength += data.remaining();
      binary.update(data);
      if (last) {
        inbox.add(new Echo("binary", binaryLength, HexFormat.of().formatHex(binary.digest())));
        binaryLength = 0;
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      inbox.add(new Closed(code, reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      inbox.add(new Failed(error));
    }
  }
}
