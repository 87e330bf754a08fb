package io.reactivews.examples.client;

import io.reactivews.client.ConnectionState;
import io.reactivews.client.ReconnectingSession;
import io.reactivews.client.WebSocketClient;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.examples.Args;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A command-line WebSocket client: each line typed (or piped) in becomes a text message, each
 * message received is printed, binary ones as {@code <binary N bytes>}. Status goes to standard
 * error, so standard output holds only what the server sent.
 *
 * <pre>
 * java -jar reactive-ws-examples.jar client wss://echo.example.org/ws \
 *     --header 'Authorization: Bearer t0k3n' --subprotocol v2.chat --reconnect
 * </pre>
 *
 * <p>When standard input ends it closes the session with 1000 and exits 0 once the close
 * handshake is done; a session that ends otherwise (refused, lost, closed with another code)
 * exits 1, and bad arguments exit 2. With {@code --reconnect} a lost connection is opened again
 * after a growing delay, and lines typed meanwhile are sent once it is back.
 */
public final class ClientCli {

  static final String USAGE = """
      usage: client [options] URL
      Sends each line of standard input as a text message; prints each message received
      (binary ones as <binary N bytes>). Exits 0 when input ends and the session closed with 1000.

        --header 'Name: value'  add a header to the upgrade request (repeatable)
        --subprotocol NAME      offer a subprotocol, most preferred first (repeatable)
        --insecure              accept any TLS certificate: for development servers only
        --reconnect             reconnect with backoff (1 s doubling to 30 s) when the
                                connection is lost; lines typed meanwhile wait for it
        --help                  this text""";

  /** A line typed while the outbound queue is full waits this long before trying again. */
  private static final Duration QUEUE_FULL_PAUSE = Duration.ofMillis(10);

  private final PrintStream out;
  private final PrintStream err;

  private ClientCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] argv) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(argv, System.in, out, err));
  }

  /** Runs the client on these streams and returns the exit code; tests call it in process. */
  static int run(String[] argv, InputStream stdin, PrintStream out, PrintStream err) {
    WebSocketClient client;
    String url;
    boolean reconnect;
    try {
      Args args = Args.parse(argv, "insecure", "reconnect");
      if (args.has("help")) {
        out.println(USAGE);
        return 0;
      }
      if (args.positional().size() != 1) {
        throw new IllegalArgumentException("give one URL, such as ws://127.0.0.1:9001/");
      }
      url = args.positional().get(0);
      client = configure(args);
      reconnect = args.has("reconnect");
      if (args.has("insecure")) {
        err.println("warning: --insecure accepts any certificate; use it for development only");
      }
    } catch (IllegalArgumentException e) {
      err.println("client: " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    ClientCli cli = new ClientCli(out, err);
    return reconnect ? cli.reconnecting(client, url, in) : cli.once(client, url, in);
  }

  private static WebSocketClient configure(Args args) {
    WebSocketClient client = WebSocketClient.create();
    for (String header : args.all("header")) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--header takes 'Name: value', not " + header);
      }
      client = client.header(header.substring(0, colon).trim(),
          header.substring(colon + 1).trim());
    }
    List<String> subprotocols = args.all("subprotocol");
    if (!subprotocols.isEmpty()) {
      client = client.subprotocols(subprotocols.toArray(String[]::new));
    }
    return args.has("insecure") ? client.insecureTrustAll() : client;
  }

  /** One session: ends when input ends (we close) or when the server closes. */
  private int once(WebSocketClient client, String url, BufferedReader in) {
    WebSocketSession session;
    try {
      session = client.connect(url).block();
    } catch (RuntimeException e) {
      err.println("cannot connect to " + url + ": " + describe(e));
      return 1;
    }
    String subprotocol = session.handshake().subprotocol();
    err.println("connected to " + url + (subprotocol == null ? "" : " with " + subprotocol));
    Mono<Void> printed = session.receive().doOnNext(this::print).then()
        .onErrorResume(e -> Mono.empty()); // the close status below says what happened
    Mono<Void> typed = session.send(lines(in).map(Message::text))
        .then(Mono.defer(session::close))
        .onErrorResume(e -> Mono.empty());
    // Whichever ends first: our input (then we close) or the session (the server closed).
    Mono.when(Mono.firstWithSignal(typed, session.onClose()), printed).block();
    CloseStatus status = session.closeStatus().block();
    err.println("closed: " + status);
    return status.code() == CloseStatus.NORMAL.code() ? 0 : 1;
  }

  /** A connection that comes back: ends when input ends, or if it stops for good. */
  private int reconnecting(WebSocketClient client, String url, BufferedReader in) {
    ReconnectingSession live = client.reconnecting(url).start();
    live.states().subscribe(this::report);
    Mono<Void> printed = live.receive().doOnNext(this::print).then()
        .onErrorResume(e -> Mono.empty());
    Mono<Void> typed = lines(in).doOnNext(line -> queue(live, line)).then()
        .then(Mono.defer(() -> {
          if (live.queuedMessages() > 0 && !live.isOpen()) {
            err.println("input ended while disconnected: " + live.queuedMessages()
                + " line(s) not sent");
          }
          return live.close();
        }));
    Mono.when(Mono.firstWithSignal(typed, live.onClose()), printed).block();
    return live.state().cause() == null ? 0 : 1;
  }

  /** Queues a line, waiting while the queue is full; runs on the input's own thread. */
  private void queue(ReconnectingSession live, String line) {
    Message message = Message.text(line);
    Sinks.EmitResult result;
    while ((result = live.tryEmit(message)) == Sinks.EmitResult.FAIL_OVERFLOW) {
      try {
        Thread.sleep(QUEUE_FULL_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (result.isFailure()) {
      err.println("not sent (" + result + "): " + line);
    }
  }

  /**
   * Input lines, read one at a time as the consumer asks: a server that reads slowly slows the
   * reading of the input instead of filling memory. Reading blocks, so it has its own thread.
   */
  private static Flux<String> lines(BufferedReader in) {
    return Flux.<String>generate(sink -> {
      try {
        String line = in.readLine();
        if (line == null) {
          sink.complete();
        } else {
          sink.next(line);
        }
      } catch (IOException e) {
        sink.error(e);
      }
    }).subscribeOn(Schedulers.boundedElastic());
  }

  private void print(Message message) {
    out.println(message.isText() ? message.text() : "<binary " + message.size() + " bytes>");
  }

  private void report(ConnectionState state) {
    Throwable cause = state.cause();
    err.println("[" + state.phase().name().toLowerCase()
        + (state.attempt() > 0 ? " attempt " + state.attempt() : "")
        + (cause == null ? "" : ": " + describe(cause)) + "]");
  }

  private static String describe(Throwable e) {
    Throwable cause = Exceptions.unwrap(e);
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
