package io.reactivews.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The rest of a stream after its head: nothing read with the head is lost to an early end. */
class HeadReaderTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  /** A head is everything before the first '|', which it consumes. */
  private static final Function<ByteBuf, String> UP_TO_BAR = buf -> {
    int bar = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '|');
    if (bar < 0) {
      return null;
    }
    String head = buf.readCharSequence(bar - buf.readerIndex(), StandardCharsets.US_ASCII)
        .toString();
    buf.skipBytes(1);
    return head;
  };

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static String text(ByteBuf buf) {
    return buf.toString(StandardCharsets.US_ASCII);
  }

  /** A stream whose first read held the head and "goodbye", and its rest. */
  private record Opened(Sinks.Many<ByteBuf> source, Flux<ByteBuf> rest) {}

  private static Opened headAndGoodbye() {
    Sinks.Many<ByteBuf> source = Sinks.many().unicast().onBackpressureBuffer();
    source.tryEmitNext(ascii("HEAD|goodbye"));
    HeadReader.Split<String> split =
        HeadReader.read(source.asFlux(), UP_TO_BAR).toFuture().getNow(null);
    assertEquals("HEAD", split.head());
    return new Opened(source, split.rest());
  }

  @Test
  void whatCameWithTheHeadIsReadBeforeAnEndThatCameFirst() {
    Opened opened = headAndGoodbye();

    StepVerifier.create(opened.rest(), 0)
        .expectSubscription()
        .then(opened.source()::tryEmitComplete) // the peer closed before anyone asked for more
        .thenRequest(1)
        .assertNext(buf -> assertEquals("goodbye", text(buf)))
        .verifyComplete();
  }

  @Test
  void anErrorAlsoWaitsForWhatCameWithTheHead() {
    Opened opened = headAndGoodbye();

    StepVerifier.create(opened.rest(), 0)
        .expectSubscription()
        .then(() -> opened.source().tryEmitError(new IllegalStateException("reset")))
        .thenRequest(1)
        .assertNext(buf -> assertEquals("goodbye", text(buf)))
        .verifyErrorMessage("reset");
  }

  @Test
  void theEndIsNeverToldWhileTheLeftoverIsBeingHandedOver() {
    Opened opened = headAndGoodbye();
    List<String> signals = new CopyOnWriteArrayList<>();
    boolean[] inNext = {false, false}; // in onNext now; an end came during one
    BaseSubscriber<ByteBuf> reader = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        // asks for nothing yet
      }

      @Override
      protected void hookOnNext(ByteBuf buf) {
        inNext[0] = true;
        signals.add(text(buf));
        request(8); // more, from inside onNext, with the stream already ended
        inNext[0] = false;
      }

      @Override
      protected void hookOnComplete() {
        inNext[1] |= inNext[0];
        signals.add("end");
      }
    };
    opened.rest().subscribe(reader);
    opened.source().tryEmitComplete();
    reader.request(1);

    assertEquals(List.of("goodbye", "end"), signals);
    assertFalse(inNext[1], "the end came inside onNext");
  }

  @Test
  void aRestSubscribedOnlyAfterTheEndGetsTheEnd() {
    Opened opened = headAndGoodbye();
    opened.source().tryEmitComplete();

    // With nobody subscribed at the end the leftover is let go: only the end remains.
    StepVerifier.create(opened.rest()).expectComplete().verify(WAIT);
  }
}
