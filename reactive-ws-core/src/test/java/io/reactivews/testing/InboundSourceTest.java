package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.reactivews.testing.InboundSource.Memory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/** The source lends and takes back as Reactor Netty does, and catches readers that misbehave. */
// StepVerifier can spin forever when an expectation fails inside a synchronous emission that
// its own request triggered; the timeout turns such a failure into a report instead of a hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InboundSourceTest {

  private static final byte[] ONE = Bytes.hex("01 02 03");
  private static final byte[] TWO = Bytes.hex("04 05");

  @ParameterizedTest
  @EnumSource(Memory.class)
  void lendsEachReadForTheDurationOfOnNext(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE, TWO);
    List<ByteBuf> seen = new ArrayList<>();
    List<String> contents = new ArrayList<>();
    StepVerifier.create(source.flux().doOnNext(buf -> {
      assertEquals(1, buf.refCnt(), "lent with one reference");
      assertEquals(memory == Memory.DIRECT, buf.isDirect());
      assertNotEquals(0, buf.readerIndex(), "readable bytes start after junk");
      seen.add(buf);
      contents.add(Bytes.toHex(ByteBufUtil.getBytes(buf)));
    }))
        .expectNextCount(2)
        .verifyComplete();
    assertEquals(List.of("01 02 03", "04 05"), contents);
    for (ByteBuf buf : seen) {
      assertEquals(0, buf.refCnt(), "taken back after onNext");
    }
    assertEquals(2, source.emitted());
    assertEquals(2, source.reads());
    assertTrue(source.isTerminated());
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void emitsOnlyOnDemand(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE, TWO, ONE);
    StepVerifier.create(source.flux(), 0)
        .then(() -> assertEquals(0, source.emitted()))
        .thenRequest(2)
        .expectNextCount(2)
        .then(() -> assertEquals(2, source.requested()))
        .thenCancel()
        .verify();
    assertEquals(2, source.emitted());
    assertTrue(source.isCancelled());
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void aReaderThatReleasesIsCaught(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE);
    source.flux().doOnNext(ByteBuf::release).blockLast();
    AssertionError e = assertThrows(AssertionError.class, source::assertClean);
    assertTrue(e.getMessage().contains("released by the subscriber"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void aReaderThatRetainsIsCaught(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE);
    List<ByteBuf> kept = new ArrayList<>();
    source.flux().doOnNext(buf -> kept.add(buf.retain())).blockLast();
    AssertionError e = assertThrows(AssertionError.class, source::assertClean);
    assertTrue(e.getMessage().contains("retained by the subscriber"), e.getMessage());
    assertEquals(1, kept.get(0).refCnt());
    kept.get(0).release();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void endsWithTheGivenErrorAfterTheReads(Memory memory) {
    IOException reset = new IOException("reset");
    InboundSource source = InboundSource.of(memory, ONE).endingWith(reset);
    StepVerifier.create(source.flux()).expectNextCount(1).verifyErrorMatches(e -> e == reset);
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void aSourceLeftOpenHoldsWhatItHasNotEmitted(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE, TWO).leftOpen();
    StepVerifier.create(source.flux(), 1)
        .expectNextCount(1)
        .expectNoEvent(java.time.Duration.ofMillis(20))
        .thenCancel()
        .verify();
    source.assertClean();

    InboundSource quiet = InboundSource.of(memory, ONE).leftOpen();
    StepVerifier.create(quiet.flux()).expectNextCount(1).expectTimeout(
        java.time.Duration.ofMillis(50)).verify();
    quiet.assertClean();
    assertFalse(quiet.isTerminated());
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void releaseUnemittedFreesWhatNobodyAskedFor(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE, TWO).leftOpen();
    source.flux().subscribe(new reactor.core.publisher.BaseSubscriber<ByteBuf>() {
      @Override
      protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
        // requests nothing, cancels nothing
      }
    });
    assertThrows(AssertionError.class, source::assertClean);
    source.releaseUnemitted();
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void servesOneSubscriber(Memory memory) {
    InboundSource source = InboundSource.of(memory, ONE);
    source.flux().blockLast();
    StepVerifier.create(source.flux()).verifyError(IllegalStateException.class);
    source.assertClean();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void emptyReadsAndNoReadsWork(Memory memory) {
    InboundSource none = InboundSource.of(memory, List.of());
    StepVerifier.create(none.flux()).verifyComplete();
    InboundSource empty = InboundSource.of(memory, new byte[0]);
    StepVerifier.create(empty.flux().map(ByteBuf::readableBytes)).expectNext(0).verifyComplete();
    empty.assertClean();
  }
}
