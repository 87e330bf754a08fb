package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.Role;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.test.StepVerifier;

/**
 * "The decoder holds at most one read's worth of input while the subscriber requests nothing":
 * it asks for one read at a time, only once everything decoded from the previous read has been
 * delivered, so a subscriber that stops requesting stops the reads.
 */
// StepVerifier can spin forever when an expectation fails inside a synchronous emission that
// its own request triggered; the timeout turns such a failure into a report instead of a hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameDecoderDemandTest {

  private static final FrameDecoder SERVER = FrameDecoder.forRole(Role.SERVER);
  private static final Duration WAIT = Duration.ofMillis(200);

  /** Three pings per read, named after their read and place: "r0f0", "r0f1" and so on. */
  private static InboundSource threePingsPerRead(int reads) {
    List<byte[]> list = new ArrayList<>();
    for (int r = 0; r < reads; r++) {
      list.add(RawFrame.concat(
          RawFrame.ping("r" + r + "f0").masked(),
          RawFrame.ping("r" + r + "f1").masked(),
          RawFrame.ping("r" + r + "f2").masked()));
    }
    return InboundSource.of(Memory.DIRECT, list);
  }

  private static void assertPing(String expected, Frame frame) {
    assertArrayEquals(Bytes.utf8(expected), frame.payloadArray(), frame.toString());
  }

  @Test
  void withoutDemandNothingIsReadHoweverLongYouWait() {
    InboundSource source = threePingsPerRead(3);
    StepVerifier.create(source.flux().transform(SERVER), 0)
        .expectSubscription()
        .expectNoEvent(WAIT)
        .then(() -> assertEquals(0, source.requested(), "reads requested"))
        .thenCancel()
        .verify();
    source.assertClean();
  }

  @Test
  void theFramesHeldWithoutDemandComeFromOneReadOnly() {
    InboundSource source = threePingsPerRead(3);
    AtomicReference<Subscription> decoder = new AtomicReference<>();
    StepVerifier.create(source.flux().transform(SERVER), 0)
        .consumeSubscriptionWith(decoder::set)
        .thenRequest(1)
        .assertNext(f -> assertPing("r0f0", f))
        .expectNoEvent(WAIT)
        .then(() -> {
          assertEquals(1, source.requested(), "reads requested");
          assertEquals(1, source.emitted(), "reads taken");
          assertEquals(2, Scannable.from(decoder.get()).scan(Scannable.Attr.BUFFERED),
              "frames held");
        })
        .thenRequest(1)
        .assertNext(f -> assertPing("r0f1", f))
        .thenRequest(1)
        .assertNext(f -> assertPing("r0f2", f))
        .expectNoEvent(WAIT)
        .then(() -> {
          // Everything from read 0 is delivered, and nobody asked for more: still one read.
          assertEquals(1, source.requested(), "reads requested");
          assertEquals(0, Scannable.from(decoder.get()).scan(Scannable.Attr.BUFFERED));
        })
        .thenRequest(1)
        .assertNext(f -> assertPing("r1f0", f))
        .then(() -> assertEquals(2, source.emitted(), "reads taken"))
        .thenCancel()
        .verify();
    source.assertClean();
  }

  @Test
  void withDemandOfOneFramesArriveOneByOne() {
    int reads = 4;
    InboundSource source = threePingsPerRead(reads);
    StepVerifier.FirstStep<Frame> steps = StepVerifier.create(source.flux().transform(SERVER), 0);
    StepVerifier.Step<Frame> step = steps.expectSubscription();
    for (int r = 0; r < reads; r++) {
      for (int f = 0; f < 3; f++) {
        String name = "r" + r + "f" + f;
        int readsTaken = r + 1;
        step = step.thenRequest(1)
            .assertNext(frame -> assertPing(name, frame))
            .then(() -> assertEquals(readsTaken, source.emitted(), "reads taken after " + name));
        if (r < reads - 1 || f < 2) {
          step = step.expectNoEvent(Duration.ofMillis(5));
        }
      }
    }
    // The source ended with its last read; completion needs no demand.
    step.verifyComplete();
    source.assertClean();
  }

  /** A read that completes no frame is followed at once by the next, while demand lasts. */
  @Test
  void readsThatCompleteNoFrameAreFollowedByTheNext() {
    byte[] ping = RawFrame.ping("abc").masked().bytes();
    List<byte[]> reads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      for (byte b : ping) {
        reads.add(new byte[] {b});
      }
    }
    InboundSource source = InboundSource.of(Memory.HEAP, reads);
    StepVerifier.create(source.flux().transform(SERVER), 0)
        .thenRequest(1)
        .assertNext(f -> assertPing("abc", f))
        .expectNoEvent(WAIT)
        .then(() -> assertEquals(ping.length, source.emitted(), "one frame's reads, no more"))
        .thenRequest(1)
        .assertNext(f -> assertPing("abc", f))
        .verifyComplete();
    source.assertClean();
  }

  /** Data frames come out as their bytes arrive: a piece per read, each needing demand. */
  @Test
  void dataFramePiecesAreDeliveredOnDemand() {
    byte[] frame = RawFrame.binary(Bytes.pattern(9)).masked().bytes();
    InboundSource source = InboundSource.of(Memory.HEAP,
        java.util.Arrays.copyOfRange(frame, 0, 9), // header and 3 payload bytes
        java.util.Arrays.copyOfRange(frame, 9, 12),
        java.util.Arrays.copyOfRange(frame, 12, 15));
    StepVerifier.create(source.flux().transform(SERVER), 0)
        .thenRequest(1)
        .assertNext(f -> assertEquals(0, f.offset()))
        .expectNoEvent(WAIT)
        .then(() -> assertEquals(1, source.emitted()))
        .thenRequest(1)
        .assertNext(f -> assertEquals(3, f.offset()))
        .then(() -> assertEquals(2, source.emitted()))
        .thenRequest(1)
        .assertNext(f -> assertEquals(6, f.offset()))
        .verifyComplete();
    source.assertClean();
  }
}
