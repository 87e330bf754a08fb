package io.reactivews.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.json.EventError.Kind;
import io.reactivews.core.json.Samples.Ping;
import io.reactivews.core.json.Samples.PlayerDeath;
import io.reactivews.core.json.Samples.Pong;
import io.reactivews.core.json.Samples.Score;
import io.reactivews.core.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

class EventRouterTest {

  private static final Message DEATH =
      Message.text("{\"type\":\"player_death\",\"player\":\"bob\",\"killer\":\"alice\"}");
  private static final Message PING = Message.text("{\"type\":\"ping\",\"t\":17}");
  private static final Message PONG = Message.text("{\"type\":\"pong\",\"t\":17}");

  private final JsonCodec json = JsonCodec.create();
  private final List<EventError> errors = new ArrayList<>();
  private final List<Object> handled = new ArrayList<>();

  /** Deaths are recorded without reply; pings are answered with a pong event. */
  private EventRouter game() {
    return EventRouter.create(json)
        .on("player_death", PlayerDeath.class, death -> Mono.fromRunnable(() -> handled.add(death)))
        .on("ping", Ping.class, ping -> {
          handled.add(ping);
          return Mono.just(json.toEvent("pong", new Pong(ping.t())));
        })
        .onError(errors::add);
  }

  @Test
  void eventsGoToTheHandlerForTheirTypeWithTheirFieldsBound() {
    StepVerifier.create(Flux.just(DEATH, PING, Message.binary(PING.bytes())).transform(game()))
        .expectNext(PONG, PONG)
        .verifyComplete();

    assertEquals(
        List.of(new PlayerDeath("bob", "alice"), new Ping(17), new Ping(17)), handled);
    assertEquals(List.of(), errors);
  }

  @Test
  void unknownAndMissingTypesAreReportedAndSkipped() {
    Message unknown = Message.text("{\"type\":\"teleport\",\"x\":1}");
    Message untyped = Message.text("{\"player\":\"bob\"}");
    Message numberType = Message.text("{\"type\":3}");
    Message array = Message.text("[\"ping\"]");

    StepVerifier.create(Flux.just(unknown, untyped, numberType, array, PING).transform(game()))
        .expectNext(PONG)
        .verifyComplete();

    assertEquals(
        List.of(Kind.UNKNOWN_TYPE, Kind.MISSING_TYPE, Kind.MISSING_TYPE, Kind.MISSING_TYPE),
        errors.stream().map(EventError::kind).toList());
    assertEquals("teleport", errors.get(0).type().orElseThrow());
    assertEquals(unknown, errors.get(0).message());
    assertEquals("UNKNOWN_TYPE \"teleport\": no handler for this type", errors.get(0).toString());
    assertTrue(
        errors.get(1).cause().orElseThrow().getMessage().contains("no \"type\" field"),
        errors.get(1).toString());
  }

  @Test
  void malformedJsonIsReportedWithItsPositionAndSkipped() {
    Message truncated = Message.text("{\"type\":\"ping\",\"t\":");
    Message notJson = Message.text("ping");
    Message empty = Message.text("");

    StepVerifier.create(Flux.just(truncated, notJson, empty, PING).transform(game()))
        .expectNext(PONG)
        .verifyComplete();

    assertEquals(3, errors.size());
    List<Integer> columns = new ArrayList<>();
    for (EventError error : errors) {
      assertEquals(Kind.MALFORMED_JSON, error.kind());
      JsonMessageException cause =
          assertInstanceOf(JsonMessageException.class, error.cause().orElseThrow());
      assertEquals(1, cause.line());
      columns.add(cause.column());
    }
    assertEquals(List.of(20, 1, 1), columns);
  }

  @Test
  void fieldsThatDoNotBindAreReportedWithTheirPath() {
    Message badPing = Message.text("{\"type\":\"ping\",\"t\":\"soon\"}");

    StepVerifier.create(Flux.just(badPing, PING).transform(game()))
        .expectNext(PONG)
        .verifyComplete();

    EventError error = errors.get(0);
    assertEquals(Kind.UNBOUND_PAYLOAD, error.kind());
    assertEquals("ping", error.type().orElseThrow());
    assertEquals("$.t", ((JsonMessageException) error.cause().orElseThrow()).path());
  }

  @Test
  void handlerFailuresAreReportedAndTheStreamGoesOn() {
    IllegalStateException thrown = new IllegalStateException("thrown");
    IllegalStateException signalled = new IllegalStateException("signalled");
    List<Throwable> failures = new ArrayList<>();
    EventRouter router =
        EventRouter.create(json)
            .on("throws", Ping.class, ping -> { throw thrown; })
            .on("nothing", Ping.class, ping -> null)
            .on("fails_after_one", Ping.class,
                ping -> Flux.concat(Mono.just(new Pong(1)), Mono.error(signalled)))
            .on("ping", Ping.class, ping -> Mono.just(json.toEvent("pong", new Pong(ping.t()))))
            .onError(error -> {
              assertEquals(Kind.HANDLER_FAILED, error.kind());
              failures.add(error.cause().orElseThrow());
            });

    Flux<Message> in =
        Flux.just("throws", "nothing", "fails_after_one", "ping")
            .map(type -> json.event(type, new Ping(17)));

    StepVerifier.create(in.transform(router))
        .expectNext(json.encode(new Pong(1)))
        .expectNext(PONG)
        .verifyComplete();

    assertEquals(3, failures.size());
    assertEquals(thrown, failures.get(0));
    assertInstanceOf(NullPointerException.class, failures.get(1));
    assertEquals(signalled, failures.get(2));
  }

  @Test
  void everyReplyToARequestWithAnIdCarriesThatIdAfterTheType() {
    Message passThrough = Message.text("untouched");
    EventRouter router =
        EventRouter.create(json)
            .on("get_score", Score.class, request -> Flux.just(
                json.toEvent("score", new Score(request.player(), 1)),
                new Score(request.player(), 2),
                passThrough))
            .onError(errors::add);

    Message request = Message.text("{\"type\":\"get_score\",\"id\":\"r-17\",\"player\":\"bob\"}");
    Message numbered = Message.text("{\"type\":\"get_score\",\"player\":\"amy\",\"id\":7}");

    StepVerifier.create(Flux.just(request, numbered).transform(router))
        .expectNext(
            Message.text("{\"type\":\"score\",\"id\":\"r-17\",\"player\":\"bob\",\"points\":1}"),
            Message.text("{\"id\":\"r-17\",\"player\":\"bob\",\"points\":2}"),
            passThrough,
            Message.text("{\"type\":\"score\",\"id\":7,\"player\":\"amy\",\"points\":1}"),
            Message.text("{\"id\":7,\"player\":\"amy\",\"points\":2}"),
            passThrough)
        .verifyComplete();
    assertEquals(List.of(), errors);
  }

  @Test
  void withoutAnIdRepliesAreWrittenAsTheyAre() {
    EventRouter router =
        EventRouter.create(json)
            .on("ask", Ping.class, ping -> Flux.just("plain", List.of(1, 2)))
            .onError(errors::add);

    StepVerifier.create(Flux.just(json.event("ask", new Ping(1))).transform(router))
        .expectNext(Message.text("\"plain\""), Message.text("[1,2]"))
        .verifyComplete();
    assertEquals(List.of(), errors);
  }

  @Test
  void repliesThatCannotCarryTheIdAreReported() {
    EventRouter router =
        EventRouter.create(json)
            .on("ask", Ping.class, ping -> Flux.just(
                List.of(1, 2),
                json.toEvent("answer", java.util.Map.of("id", 99)),
                json.toEvent("answer", new Pong(2))))
            .onError(errors::add);

    StepVerifier.create(
            Flux.just(Message.text("{\"type\":\"ask\",\"id\":5,\"t\":1}")).transform(router))
        .expectNext(Message.text("{\"type\":\"answer\",\"id\":5,\"t\":2}"))
        .verifyComplete();

    assertEquals(List.of(Kind.BAD_REPLY, Kind.BAD_REPLY),
        errors.stream().map(EventError::kind).toList());
    assertTrue(errors.get(0).cause().orElseThrow().getMessage().contains("must be a JSON object"));
    assertEquals(
        "the reply has its own \"id\" 99, not the request's 5",
        errors.get(1).cause().orElseThrow().getMessage());
  }

  @Test
  void typeAndCorrelationFieldsAreConfigurable() {
    JsonCodec kinds = json.withTypeField("kind");
    EventRouter router =
        EventRouter.create(kinds)
            .correlationField("rid")
            .on("ping", Ping.class, ping -> Mono.just(kinds.toEvent("pong", new Pong(ping.t()))));

    StepVerifier.create(
            Flux.just(Message.text("{\"rid\":\"x\",\"kind\":\"ping\",\"t\":3,\"id\":1}"))
                .transform(router))
        .expectNext(Message.text("{\"kind\":\"pong\",\"rid\":\"x\",\"t\":3}"))
        .verifyComplete();
  }

  @Test
  void correlationCanBeTurnedOff() {
    EventRouter router =
        EventRouter.create(json)
            .withoutCorrelation()
            .on("ping", Ping.class, ping -> Mono.just(json.toEvent("pong", new Pong(ping.t()))));

    StepVerifier.create(
            Flux.just(Message.text("{\"type\":\"ping\",\"id\":1,\"t\":17}")).transform(router))
        .expectNext(PONG)
        .verifyComplete();
  }

  @Test
  void otherwiseReceivesEventsOfUnknownTypes() {
    EventRouter router =
        game().otherwise(event -> Mono.just(json.toEvent("unsupported",
            java.util.Map.of("what", event.type()))));

    StepVerifier.create(
            Flux.just(Message.text("{\"type\":\"dance\",\"id\":4}"), PING).transform(router))
        .expectNext(Message.text("{\"type\":\"unsupported\",\"id\":4,\"what\":\"dance\"}"), PONG)
        .verifyComplete();
    assertEquals(List.of(), errors);
  }

  @Test
  void handlersMayAskForTheEventItself() {
    EventRouter router =
        EventRouter.create(json)
            .on("echo", JsonEvent.class, event -> Mono.just(event));

    StepVerifier.create(Flux.just(Message.text("{\"type\":\"echo\",\"a\":[1]}")).transform(router))
        .expectNext(Message.text("{\"type\":\"echo\",\"a\":[1]}"))
        .verifyComplete();
  }

  @Test
  void anErrorHandlerThatThrowsEndsTheStreamSoTheSessionCloses() {
    EventRouter strict =
        game().onError(error -> {
          throw WebSocketException.invalidPayload("bad event: " + error.kind());
        });

    StepVerifier.create(Flux.just(PING, Message.text("nope"), PING).transform(strict))
        .expectNext(PONG)
        .expectErrorSatisfies(e -> {
          assertEquals(1007, ((WebSocketException) e).code());
          assertEquals("bad event: MALFORMED_JSON", e.getMessage());
        })
        .verify();
  }

  @Test
  void aSkippedBadMessageDoesNotStallDemand() {
    TestPublisher<Message> messages = TestPublisher.create();

    StepVerifier.create(messages.flux().transform(game()), 0)
        .expectSubscription()
        .then(() -> messages.assertMaxRequested(0))
        .thenRequest(1)
        // A compliant publisher fails if asked to emit beyond demand.
        .then(() -> messages.next(Message.text("{\"type\":")))
        .then(() -> messages.next(Message.text("{\"type\":\"teleport\"}")))
        .then(() -> messages.next(DEATH))
        .then(() -> messages.next(PING))
        .expectNext(PONG)
        // With no demand left, one message is read ahead and its reply waits.
        .then(() -> messages.assertMinRequested(1))
        .then(() -> messages.next(PING))
        .then(() -> messages.assertMaxRequested(0))
        .expectNoEvent(Duration.ZERO)
        .thenRequest(1)
        .expectNext(PONG)
        .thenCancel()
        .verify();

    assertEquals(List.of(Kind.MALFORMED_JSON, Kind.UNKNOWN_TYPE),
        errors.stream().map(EventError::kind).toList());
    messages.assertCancelled();
  }

  @Test
  void theNextMessageIsReadOnlyWhenTheHandlerIsDone() {
    TestPublisher<Message> messages = TestPublisher.create();
    Sinks.One<Pong> reply = Sinks.one();
    EventRouter router = EventRouter.create(json).on("ping", Ping.class, ping -> reply.asMono());

    StepVerifier.create(messages.flux().transform(router))
        .then(() -> messages.next(PING))
        .then(() -> messages.assertMaxRequested(0))
        .then(() -> reply.tryEmitValue(new Pong(5)))
        .expectNext(json.encode(new Pong(5)))
        .then(() -> messages.assertMinRequested(1))
        .thenCancel()
        .verify();
  }

  @Test
  void byDefaultErrorsAreLogged() {
    TestLogger log = new TestLogger(false);
    Disposable capture = LoggerUtils.useCurrentLoggersWithCapture();
    LoggerUtils.enableCaptureWith(log, false);
    try {
      StepVerifier.create(
              Flux.just(Message.text("{\"type\":\"dance\"}"), PING)
                  .transform(EventRouter.create(json).on("ping", Ping.class, p -> Mono.empty())))
          .verifyComplete();
    } finally {
      LoggerUtils.disableCapture();
      capture.dispose();
    }

    assertTrue(
        log.getErrContent().contains("skipped an event: UNKNOWN_TYPE \"dance\""),
        log.getErrContent());
  }

  @Test
  void routersAreBuiltOnCopies() {
    EventRouter empty = EventRouter.create(json);
    EventRouter pings = empty.on("ping", Ping.class, p -> Mono.empty());

    assertEquals(Set.of(), empty.types());
    assertEquals(Set.of("ping"), pings.types());
    assertThrows(IllegalArgumentException.class,
        () -> pings.on("ping", Ping.class, p -> Mono.empty()));
    assertThrows(IllegalArgumentException.class, () -> empty.correlationField("type"));
    assertThrows(IllegalArgumentException.class, () -> empty.correlationField(""));
  }
}
