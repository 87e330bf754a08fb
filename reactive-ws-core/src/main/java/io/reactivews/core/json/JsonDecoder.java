package io.reactivews.core.json;

import com.fasterxml.jackson.databind.ObjectReader;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.util.Loggers;

/**
 * Reads each message of a stream as a {@code T}: {@code Flux<Message> -> Flux<T>}, to be used
 * with {@code transform}. Made by {@link JsonCodec#decoder(Class)}; immutable, each setter returns
 * a copy, and one decoder may serve any number of streams at once.
 *
 * <pre>{@code
 * Flux<Move> moves = session.receive()
 *     .transform(json.decoder(Move.class).onMalformed((message, error) -> badInput.increment()));
 * }</pre>
 *
 * <p>A message that is not JSON for {@code T} is a problem with that message, not with the
 * connection, so by default it is skipped: it goes to the {@linkplain #onMalformed handler},
 * which by default logs one escaped, bounded warning line (nothing is dropped unseen; a peer that
 * floods garbage floods the log, so give a counting or rate-limited handler where that matters).
 * With {@link #failOnMalformed()} the first bad message ends the stream with a {@link
 * WebSocketException} of status 1007 (invalid payload data, RFC 6455 section 7.4.1), which closes
 * the session with that code. A handler that throws ends the stream with what it threw.
 *
 * <p>Demand: one output per input, in order; a skipped message is followed at once by a request
 * for the next, so a subscriber that asks for one value gets the next good one. Messages own no
 * buffers, so nothing needs releasing or discarding.
 *
 * @param <T> the type of the values read
 */
public final class JsonDecoder<T> implements Function<Flux<Message>, Flux<T>> {

  private static final BiConsumer<Message, JsonMessageException> LOG =
      (message, error) ->
          // Looked up on use: bad messages are rare and tests may swap the logger factory.
          Loggers.getLogger(JsonDecoder.class)
              .warn("skipped a {} message of {} bytes: {}",
                  message.type(), message.size(), error.getMessage());

  private final JsonCodec codec;
  private final ObjectReader reader;
  private final String expected;
  /** Null when a bad message ends the stream. */
  private final BiConsumer<? super Message, ? super JsonMessageException> onMalformed;

  JsonDecoder(JsonCodec codec, ObjectReader reader, String expected) {
    this(codec, reader, expected, LOG);
  }

  private JsonDecoder(
      JsonCodec codec,
      ObjectReader reader,
      String expected,
      BiConsumer<? super Message, ? super JsonMessageException> onMalformed) {
    this.codec = codec;
    this.reader = reader;
    this.expected = expected;
    this.onMalformed = onMalformed;
  }

  /**
   * A copy that skips bad messages and hands each, with its error, to {@code handler} on the
   * thread that delivered it. Replaces {@link #failOnMalformed()}.
   */
  public JsonDecoder<T> onMalformed(
      BiConsumer<? super Message, ? super JsonMessageException> handler) {
    return new JsonDecoder<>(codec, reader, expected, Objects.requireNonNull(handler, "handler"));
  }

  /**
   * A copy that ends the stream at the first bad message with a {@link WebSocketException} of
   * status 1007, whose cause is the {@link JsonMessageException}. Replaces any handler.
   */
  public JsonDecoder<T> failOnMalformed() {
    return new JsonDecoder<>(codec, reader, expected, null);
  }

  /** Whether a bad message ends the stream rather than being skipped. */
  public boolean failsOnMalformed() {
    return onMalformed == null;
  }

  @Override
  public Flux<T> apply(Flux<Message> messages) {
    // handle() asks upstream for one more whenever a message yields nothing.
    return messages.handle(
        (message, sink) -> {
          T value;
          try {
            value = codec.read(message, reader, expected);
          } catch (JsonMessageException e) {
            if (onMalformed == null) {
              sink.error(invalidPayload(e));
            } else {
              onMalformed.accept(message, e);
            }
            return;
          }
          sink.next(value);
        });
  }

  private WebSocketException invalidPayload(JsonMessageException e) {
    return new WebSocketException(
        CloseStatus.INVALID_PAYLOAD.withFittedReason("invalid JSON, expected " + expected),
        e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "JsonDecoder(" + expected + (onMalformed == null ? ", fail on malformed)" : ")");
  }
}
