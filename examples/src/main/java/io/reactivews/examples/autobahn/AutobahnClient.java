package io.reactivews.examples.autobahn;

import io.reactivews.client.WebSocketClient;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.examples.Args;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Drives our client through an Autobahn|Testsuite fuzzing server: asks {@code /getCaseCount},
 * runs every case on {@code /runCase?case=N&agent=NAME} by echoing each message back as it came
 * (text as text, binary as binary, up to 16 MiB), then asks the server to write its reports
 * with {@code /updateReports?agent=NAME}. Each step is one WebSocket connection.
 *
 * <pre>
 * java -jar reactive-ws-examples.jar autobahn-client --url ws://127.0.0.1:9001 --agent reactive-ws
 * </pre>
 *
 * <p>A case that ends in an error (the fuzzer breaks the protocol on purpose) is only printed:
 * the reports judge it. Keepalive pings are off, since a frame the fuzzer did not ask for would
 * be counted against the case.
 */
public final class AutobahnClient {

  static final String USAGE = """
      usage: autobahn-client --url ws://127.0.0.1:9001 --agent NAME [--case-timeout SECONDS]
      Runs every case of an Autobahn|Testsuite fuzzing server against our client, echoing each
      message, then asks the server to update its reports for NAME.""";

  /** The largest message the fuzzer sends (cases 9.x) and we echo. */
  static final int MAX_MESSAGE_SIZE = 16 << 20;

  private final WebSocketClient client;
  private final String base;
  private final String agent;
  private final Duration caseTimeout;
  private final PrintStream out;

  private AutobahnClient(String url, String agent, Duration caseTimeout, PrintStream out) {
    this.client = WebSocketClient.create()
        .options(SessionOptions.defaults()
            .maxMessageSize(MAX_MESSAGE_SIZE)
            .pingInterval(Duration.ZERO));
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.agent = agent;
    this.caseTimeout = caseTimeout;
    this.out = out;
  }

  public static void main(String[] argv) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(run(argv, out, new PrintStream(System.err, true, StandardCharsets.UTF_8)));
  }

  /** Runs the whole suite and returns the exit code; tests call it in process. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    AutobahnClient runner;
    try {
      Args args = Args.parse(argv);
      if (args.has("help")) {
        out.println(USAGE);
        return 0;
      }
      if (!args.has("url") || !args.has("agent")) {
        throw new IllegalArgumentException("--url and --agent are required");
      }
      int caseTimeout = args.getInt("case-timeout", 120);
      if (caseTimeout < 1) {
        throw new IllegalArgumentException("--case-timeout must be at least 1 second");
      }
      runner = new AutobahnClient(args.get("url", null), args.get("agent", null),
          Duration.ofSeconds(caseTimeout), out);
    } catch (IllegalArgumentException e) {
      err.println("autobahn-client: " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
    try {
      runner.runAll();
      return 0;
    } catch (RuntimeException e) {
      err.println("autobahn-client: " + describe(e));
      return 1;
    }
  }

  /** Every case, in order, then the report update. */
  private void runAll() {
    int count = caseCount();
    out.println("running " + count + " cases as " + agent);
    for (int n = 1; n <= count; n++) {
      out.println("case " + n + "/" + count + ": " + runCase(n));
    }
    // The server writes its reports, then closes.
    client.connect(base + "/updateReports?agent=" + encoded(agent),
            session -> session.receive().then())
        .block(caseTimeout);
    out.println("reports updated for " + agent);
  }

  /** The count is the one text message the server sends on {@code /getCaseCount}. */
  private int caseCount() {
    List<String> texts = client.connect(base + "/getCaseCount")
        .flatMap(session -> session.receive().map(Message::text).collectList())
        .block(caseTimeout);
    if (texts == null || texts.isEmpty()) {
      throw new IllegalStateException("the server sent no case count");
    }
    try {
      return Integer.parseInt(texts.get(0).trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("not a case count: " + texts.get(0));
    }
  }

  /** Runs case {@code n}: echoes until the session ends; returns how it ended. */
  private String runCase(int n) {
    String url = base + "/runCase?case=" + n + "&agent=" + encoded(agent);
    try {
      CloseStatus status = client.connect(url)
          .flatMap(session -> session.send(session.receive())
              // A broken frame ends both with an error; the close status tells which.
              .onErrorResume(e -> Mono.empty())
              .then(session.closeStatus())
              .timeout(caseTimeout, Mono.defer(() ->
                  session.close(CloseStatus.GOING_AWAY).then(session.closeStatus()))))
          .block();
      return String.valueOf(status);
    } catch (RuntimeException e) {
      return "failed: " + describe(e);
    }
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String describe(Throwable e) {
    Throwable cause = Exceptions.unwrap(e);
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
