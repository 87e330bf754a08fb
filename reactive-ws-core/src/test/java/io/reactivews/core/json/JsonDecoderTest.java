package io.reactivews.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.json.Samples.Score;
import io.reactivews.core.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

class JsonDecoderTest {

  private static final Message GOOD_1 = Message.text("{\"player\":\"a\",\"points\":1}");
  private static final Message GOOD_2 = Message.binary(GOOD_1.bytes());
  private static final Message TRUNCATED = Message.text("{\"player\":\"a\",\"points\":");
  private static final Message WRONG_TYPE = Message.text("{\"player\":\"a\",\"points\":[]}");
  private static final Message NOT_JSON = Message.text("GET / HTTP/1.1");
  private static final Message EMPTY = Message.text("");

  private final JsonCodec json = JsonCodec.create();

  @Test
  void decodesEachMessageInOrder() {
    Flux<Score> scores =
        Flux.just(GOOD_1, Message.text("{\"player\":\"b\",\"points\":2}"))
            .transform(json.decoder(Score.class));

    StepVerifier.create(scores)
        .expectNext(new Score("a", 1), new Score("b", 2))
        .verifyComplete();
  }

  @Test
  void badMessagesAreSkippedAndReportedWithoutEndingTheStream() {
    List<Message> badMessages = new ArrayList<>();
    List<JsonMessageException> errors = new ArrayList<>();
    Flux<Score> scores =
        Flux.just(TRUNCATED, GOOD_1, WRONG_TYPE, NOT_JSON, EMPTY, GOOD_2)
            .transform(
                json.decoder(Score.class)
                    .onMalformed(
                        (message, error) -> {
                          badMessages.add(message);
                          errors.add(error);
                        }));

    StepVerifier.create(scores)
        .expectNext(new Score("a", 1), new Score("a", 1))
        .verifyComplete();

    assertEquals(List.of(TRUNCATED, WRONG_TYPE, NOT_JSON, EMPTY), badMessages);
    assertEquals(List.of(24, 24, 1, 1), errors.stream().map(JsonMessageException::column).toList());
    for (JsonMessageException error : errors) {
      assertEquals(1, error.line());
      assertTrue(error.getMessage().startsWith("expected Score at line 1, column "),
          error.getMessage());
    }
  }

  @Test
  void byDefaultBadMessagesAreLoggedAsOneBoundedLine() {
    TestLogger log = new TestLogger(false);
    Disposable capture = LoggerUtils.useCurrentLoggersWithCapture();
    LoggerUtils.enableCaptureWith(log, false);
    try {
      Message huge = Message.text("{\"player\":\"" + "x\n".repeat(10_000));

      StepVerifier.create(Flux.just(huge, GOOD_1).transform(json.decoder(Score.class)))
          .expectNext(new Score("a", 1))
          .verifyComplete();
    } finally {
      LoggerUtils.disableCapture();
      capture.dispose();
    }

    String warning = log.getErrContent();
    assertTrue(warning.contains("skipped a TEXT message of 20011 bytes: expected Score"), warning);
    assertTrue(warning.length() < 600, warning);
    assertEquals(1, warning.strip().lines().count(), warning);
  }

  @Test
  void failOnMalformedEndsTheStreamWithInvalidPayload1007() {
    TestPublisher<Message> messages = TestPublisher.create();

    StepVerifier.create(messages.flux().transform(json.decoder(Score.class).failOnMalformed()))
        .then(() -> messages.next(GOOD_1, TRUNCATED))
        .expectNext(new Score("a", 1))
        .expectErrorSatisfies(
            e -> {
              WebSocketException failure = assertInstanceOf(WebSocketException.class, e);
              assertEquals(1007, failure.code());
              assertEquals("invalid JSON, expected Score", failure.status().reason());
              assertTrue(failure.status().isSendable());
              JsonMessageException cause =
                  assertInstanceOf(JsonMessageException.class, failure.getCause());
              assertEquals(24, cause.column());
              assertEquals(cause.getMessage(), failure.getMessage());
            })
        .verify();

    messages.assertCancelled();
  }

  @Test
  void aSkippedMessageIsFollowedByARequestForTheNext() {
    TestPublisher<Message> messages = TestPublisher.create();
    List<Message> skipped = new ArrayList<>();

    JsonDecoder<Score> decoder = json.decoder(Score.class).onMalformed((m, e) -> skipped.add(m));

    StepVerifier.create(messages.flux().transform(decoder), 0)
        .expectSubscription()
        .then(() -> messages.assertMaxRequested(0))
        .thenRequest(1)
        // A compliant publisher fails if it is asked to emit beyond demand.
        .then(() -> messages.next(NOT_JSON))
        .then(() -> messages.assertMinRequested(1))
        .then(() -> messages.next(GOOD_1))
        .expectNext(new Score("a", 1))
        .then(() -> messages.assertMaxRequested(0))
        .thenCancel()
        .verify();

    assertEquals(List.of(NOT_JSON), skipped);
  }

  @Test
  void aBadMessageThenAGoodOneDeliversTheGoodOneOnRequestOne() {
    StepVerifier.create(
            Flux.just(EMPTY, TRUNCATED, GOOD_1, GOOD_2)
                .transform(json.decoder(Score.class).onMalformed((m, e) -> {})),
            0)
        .expectSubscription()
        .expectNoEvent(Duration.ZERO)
        .thenRequest(1)
        .expectNext(new Score("a", 1))
        .thenRequest(1)
        .expectNext(new Score("a", 1))
        .verifyComplete();
  }

  @Test
  void aHandlerThatThrowsEndsTheStreamWithWhatItThrew() {
    IllegalStateException stop = new IllegalStateException("too many bad messages");

    StepVerifier.create(
            Flux.just(GOOD_1, NOT_JSON, GOOD_1)
                .transform(json.decoder(Score.class).onMalformed((m, e) -> { throw stop; })))
        .expectNext(new Score("a", 1))
        .expectErrorSatisfies(e -> assertEquals(stop, e))
        .verify();
  }

  @Test
  void policiesAreSetOnCopies() {
    JsonDecoder<Score> skipping = json.decoder(Score.class);
    JsonDecoder<Score> failing = skipping.failOnMalformed();

    assertFalse(skipping.failsOnMalformed());
    assertTrue(failing.failsOnMalformed());
    assertFalse(failing.onMalformed((m, e) -> {}).failsOnMalformed());
  }

  @Test
  void genericTypesDecodeWithATypeReference() {
    Flux<Map<String, Integer>> maps =
        Flux.just(Message.text("{\"a\":1}"), Message.text("{\"a\":\"x\"}"))
            .transform(
                json.decoder(new TypeReference<Map<String, Integer>>() {}).failOnMalformed());

    StepVerifier.create(maps)
        .expectNext(Map.of("a", 1))
        .expectErrorSatisfies(
            e ->
                assertEquals(
                    "invalid JSON, expected Map<String,Integer>",
                    ((WebSocketException) e).status().reason()))
        .verify();
  }
}
