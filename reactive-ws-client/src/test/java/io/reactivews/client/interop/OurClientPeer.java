package io.reactivews.client.interop;

import io.reactivews.client.WebSocketClient;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.PeerReport;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * Our {@link WebSocketClient} running an {@link EchoPlan} against a foreign echo server, in
 * process, and writing the report lines the peer scripts write: {@code peer}, {@code open},
 * one {@code echo} per message that came back, {@code close} with the server's close code.
 */
final class OurClientPeer {

  /** The header the echo scripts report, to show custom headers reach a foreign server. */
  static final String HEADER = "X-Interop";
  static final String HEADER_VALUE = "reactive-ws client";

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

  /** The client every interop run uses. */
  static WebSocketClient client(EchoPlan plan) {
    return WebSocketClient.create()
        .header(HEADER, HEADER_VALUE)
        .subprotocols(plan.subprotocols().toArray(String[]::new))
        .options(SessionOptions.defaults().maxMessageSize(plan.maxMessageSize()));
  }

  PeerReport run(String url, EchoPlan plan) throws InterruptedException {
    StringBuilder report = new StringBuilder();
    report.append(PeerReport.line("check", "peer", "name", "reactive-ws",
        "runtime", "java " + Runtime.version())).append('\n');
    WebSocketSession session = client(plan).connect(url).block(STEP_TIMEOUT);
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    session.receive().subscribe(inbox::add, inbox::add);
    try {
      report.append(PeerReport.line("check", "open",
          "subprotocol", session.handshake().subprotocol(),
          "extensions", session.compression().map(Object::toString).orElse(null)))
          .append('\n');
      for (int index = 0; index < plan.messages().size(); index++) {
        EchoPlan.Planned planned = plan.messages().get(index);
        Message message = planned.binary()
            ? Message.binary(planned.bytes())
            : Message.text(planned.textPayload());
        session.send(Mono.just(message)).block(STEP_TIMEOUT);
        Object echo = inbox.poll(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!(echo instanceof Message m)) {
          throw new AssertionError("expected the echo of message " + index + ", got " + echo
              + "\n" + report);
        }
        report.append(PeerReport.line("check", "echo", "index", index,
            "type", m.isText() ? "text" : "binary", "length", m.size(),
            "sha256", sha256(m))).append('\n');
      }
      CloseStatus status = session.close(CloseStatus.of(plan.closeCode(), plan.closeReason()))
          .then(session.closeStatus())
          .block(STEP_TIMEOUT);
      report.append(PeerReport.line("check", "close", "code", status.code(),
          "reason", status.reason())).append('\n');
      session.compressionStats().ifPresent(stats -> report.append(PeerReport.line(
          "check", "compression", "compressed", stats.messagesCompressed(),
          "inflated", stats.messagesInflated())).append('\n'));
      return PeerReport.parse(report.toString());
    } finally {
      session.close(CloseStatus.GOING_AWAY).block(STEP_TIMEOUT);
    }
  }

  private static String sha256(Message message) {
    MessageDigest sha = EchoPlan.sha256Digest();
    sha.update(message.payload());
    return HexFormat.of().formatHex(sha.digest());
  }
}
