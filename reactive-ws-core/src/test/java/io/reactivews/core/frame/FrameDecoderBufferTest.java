package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.JoinedFrame;
import io.reactivews.testing.RawFrame;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/**
 * The decoder borrows its input as Reactor Netty lends it: every buffer goes back to the source
 * untouched (refCnt unchanged by {@code onNext}) and is released by the source on every path,
 * completion, decoder error, upstream error and cancel, with direct and heap buffers.
 */
// StepVerifier can spin forever when an expectation fails inside a synchronous emission that
// its own request triggered; the timeout turns such a failure into a report instead of a hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameDecoderBufferTest {

  private static final FrameDecoder SERVER = FrameDecoder.forRole(Role.SERVER);

  private static final byte[] HELLO = RawFrame.text("Hello").masked().bytes();
  private static final byte[] PING = RawFrame.ping("p").masked().bytes();

  @ParameterizedTest
  @EnumSource(Memory.class)
  void everyBufferIsReleasedWhenTheStreamCompletes(Memory memory) {
    InboundSource source = InboundSource.of(memory, HELLO, PING, HELLO);
    StepVerifier.create(source.flux().transform(SERVER))
        .expectNextCount(3)
        .verifyComplete();
    assertEquals(3, source.emitted());
    assertTrue(source.isTerminated());
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void unreadBuffersAreReleasedWhenTheDecoderFails(Memory memory) {
    byte[] reserved = Bytes.hex("83 80 00 00 00 00");
    InboundSource source = InboundSource.of(memory, HELLO, reserved, HELLO, PING);
    StepVerifier.create(source.flux().transform(SERVER))
        .expectNextCount(1)
        .verifyErrorSatisfies(e -> assertEquals(1002, ((WebSocketException) e).code()));
    assertEquals(2, source.emitted());
    assertTrue(source.isCancelled());
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void everyBufferIsReleasedWhenUpstreamFails(Memory memory) {
    IOException reset = new IOException("connection reset");
    InboundSource source =
        InboundSource.of(memory, HELLO, Arrays.copyOf(PING, 3)).endingWith(reset);
    StepVerifier.create(source.flux().transform(SERVER))
        .expectNextCount(1)
        .verifyErrorSatisfies(e -> assertSame(reset, e));
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void unreadBuffersAreReleasedWhenTheSubscriberCancels(Memory memory) {
    InboundSource source = InboundSource.of(memory, HELLO, PING, HELLO, PING, HELLO);
    StepVerifier.create(source.flux().transform(SERVER), 0)
        .thenRequest(2)
        .expectNextCount(2)
        .thenCancel()
        .verify();
    assertTrue(source.isCancelled());
    assertEquals(2, source.emitted());
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void cancellingInsideOnNextReleasesTheRest(Memory memory) {
    byte[] both = Bytes.concat(HELLO, PING);
    InboundSource source = InboundSource.of(memory, both, HELLO, PING);
    StepVerifier.create(source.flux().transform(SERVER).take(1))
        .expectNextCount(1)
        .verifyComplete();
    assertTrue(source.isCancelled());
    assertEquals(1, source.emitted());
    source.assertClean();
  }

  /**
   * The source overwrites each read once {@code onNext} returns, and pooled memory is reused at
   * once; frames that still pointed into a read would show the damage.
   */
  @ParameterizedTest
  @EnumSource(Memory.class)
  void framesOwnTheirBytesAfterTheReadIsGone(Memory memory) {
    byte[] payload = Bytes.pattern(40);
    byte[] input = RawFrame.binary(payload).masked().bytes();
    InboundSource source = InboundSource.of(memory,
        Arrays.copyOfRange(input, 0, 20), Arrays.copyOfRange(input, 20, input.length));
    List<Frame> pieces = source.flux().transform(SERVER).collectList().block();
    // Churn the allocator so freed memory is handed out and written again.
    for (int i = 0; i < 16; i++) {
      InboundSource churn = InboundSource.of(memory, Bytes.pattern(64), Bytes.pattern(64));
      churn.flux().blockLast();
      churn.assertClean();
    }
    assertEquals(List.of(JoinedFrame.of(Opcode.BINARY, true, payload)), JoinedFrame.join(pieces));
    assertArrayEquals(Arrays.copyOf(payload, 14), pieces.get(0).payloadArray());
    source.assertClean();
  }
}
