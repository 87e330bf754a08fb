package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.FramePieces;
import io.reactivews.core.frame.Opcode;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.Outcome;
import io.reactivews.testing.Utf8Corpus;
import io.reactivews.testing.Utf8Corpus.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * RFC 6455 sections 5.6 and 8.1: a text message must be UTF-8, checked as its bytes arrive, so
 * that an invalid byte fails the stream (1007) at the piece that holds it, in the middle of a
 * frame or of a fragmented message, before the rest is sent. Every corpus case is sent whole, in
 * one-byte pieces of one frame, and as one-byte fragments.
 */
// StepVerifier can spin forever when an expectation fails inside a synchronous emission that
// its own request triggered; the timeout turns such a failure into a report instead of a hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessageAssemblerUtf8Test {

  private static final MessageAssembler ASSEMBLER = MessageAssembler.create();

  /** Feeds frames one at a time and records what came out, so a test can check between sends. */
  private static final class Feed {
    final TestPublisher<Frame> frames = TestPublisher.create();
    final List<Message> messages = new ArrayList<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    Feed() {
      frames.flux().transform(ASSEMBLER).subscribe(messages::add, error::set);
    }

    void send(Frame frame) {
      frames.next(frame);
    }
  }

  private static void assertInvalidAt(Throwable e, long byteIndex) {
    WebSocketException wse = (WebSocketException) e;
    assertEquals(1007, wse.code());
    assertEquals("invalid UTF-8 at byte " + byteIndex + " of a text message", wse.getMessage());
  }

  @Test
  void anInvalidByteFailsAtThePieceThatHoldsItInTheMiddleOfAFrame() {
    FrameHeader header = new FrameHeader(true, 0, Opcode.TEXT, false, 12);
    Feed feed = new Feed();
    feed.send(FramePieces.piece(header, Bytes.utf8("abc"), 0));
    assertNull(feed.error.get());
    feed.send(FramePieces.piece(header, Bytes.hex("64 65 c0 66"), 3)); // "de", C0, "f"
    assertInvalidAt(feed.error.get(), 5);
    feed.frames.assertCancelled();
    // Bytes 7 to 11 were never needed.
  }

  @Test
  void anInvalidByteFailsInTheMiddleOfAFragmentedMessage() {
    Feed feed = new Feed();
    feed.send(Frame.of(false, 0, Opcode.TEXT, Bytes.utf8("Hel")));
    feed.send(Frame.of(Opcode.PING, new byte[0]));
    FrameHeader second = new FrameHeader(false, 0, Opcode.CONTINUATION, false, 6);
    feed.send(FramePieces.piece(second, Bytes.utf8("lo"), 0));
    assertNull(feed.error.get(), "valid so far");
    feed.send(FramePieces.piece(second, Bytes.hex("ed a0"), 2)); // a surrogate begins
    assertInvalidAt(feed.error.get(), 6);
    feed.frames.assertCancelled();
    assertEquals(List.of(), feed.messages);
  }

  @Test
  void theErrorIsSignalledBeforeTheRestOfTheMessageIsSent() {
    TestPublisher<Frame> frames = TestPublisher.create();
    FrameHeader header = new FrameHeader(true, 0, Opcode.TEXT, false, 1000);
    StepVerifier.create(frames.flux().transform(ASSEMBLER))
        .then(() -> frames.next(FramePieces.piece(header, Bytes.utf8("fine "), 0)))
        .expectNoEvent(java.time.Duration.ofMillis(20))
        .then(() -> frames.next(FramePieces.piece(header, Bytes.hex("ff"), 5)))
        .verifyErrorSatisfies(e -> assertInvalidAt(e, 5));
    frames.assertCancelled();
  }

  @Test
  void aCharacterMaySpanFragmentsAndPieces() {
    byte[] euro = Bytes.hex("e2 82 ac");
    Outcome<Message> outcome = Outcome.of(Flux.just(
            Frame.of(false, 0, Opcode.TEXT, Bytes.hex("41 e2")),
            Frame.of(Opcode.PING, new byte[0]),
            FramePieces.piece(new FrameHeader(true, 0, Opcode.CONTINUATION, false, 3),
                Bytes.hex("82"), 0),
            FramePieces.piece(new FrameHeader(true, 0, Opcode.CONTINUATION, false, 3),
                Bytes.hex("ac 42"), 1))
        .transform(ASSEMBLER));
    assertEquals(List.of(Message.text("A€B")), outcome.assertCompleted());
    assertArrayEquals(Bytes.concat(Bytes.hex("41"), euro, Bytes.hex("42")),
        outcome.values().get(0).bytes());
  }

  @Test
  void aMessageEndingInsideACharacterFailsWith1007() {
    Outcome.of(Flux.just(Frame.of(Opcode.TEXT, Bytes.hex("41 e2 82"))).transform(ASSEMBLER))
        .assertError(1007, "text message ends inside a UTF-8 sequence");
    Outcome.of(Flux.just(
            Frame.of(false, 0, Opcode.TEXT, Bytes.hex("41")),
            Frame.of(true, 0, Opcode.CONTINUATION, Bytes.hex("f0 9f 98")))
        .transform(ASSEMBLER))
        .assertError(1007, "text message ends inside a UTF-8 sequence");
  }

  @Test
  void aCharacterMayNotSpanMessages() {
    List<Message> before = Outcome.of(Flux.just(
            Frame.of(Opcode.TEXT, Bytes.hex("41")),
            Frame.of(Opcode.TEXT, Bytes.hex("e2 82")),
            Frame.of(Opcode.TEXT, Bytes.hex("ac")))
        .transform(ASSEMBLER))
        .assertError(1007, "text message ends inside a UTF-8 sequence");
    assertEquals(List.of(Message.text("A")), before);
  }

  @Test
  void binaryMessagesAreNotText() {
    byte[] notUtf8 = Bytes.hex("ff fe c0 80 ed a0 80");
    assertEquals(List.of(Message.binary(notUtf8), Message.text("ok")),
        Outcome.of(Flux.just(Frame.of(Opcode.BINARY, notUtf8), Frame.of(Opcode.TEXT,
            Bytes.utf8("ok"))).transform(ASSEMBLER)).assertCompleted());
  }

  @Test
  void everyCorpusCaseAsOneFrame() {
    for (Case c : Utf8Corpus.cases()) {
      assertCase(c, List.of(Frame.of(Opcode.TEXT, c.bytes())));
    }
  }

  @Test
  void everyCorpusCaseAsOneBytePiecesOfOneFrame() {
    for (Case c : Utf8Corpus.cases()) {
      int[] cuts = new int[Math.max(0, c.bytes().length - 1)];
      java.util.Arrays.setAll(cuts, i -> i + 1);
      assertCase(c, FramePieces.split(true, Opcode.TEXT, c.bytes(), cuts));
    }
  }

  @Test
  void everyCorpusCaseAsOneByteFragments() {
    for (Case c : Utf8Corpus.cases()) {
      byte[] b = c.bytes();
      List<Frame> frames = new ArrayList<>();
      for (int i = 0; i < b.length; i++) {
        Opcode opcode = i == 0 ? Opcode.TEXT : Opcode.CONTINUATION;
        frames.add(Frame.of(i == b.length - 1, 0, opcode, new byte[] {b[i]}));
      }
      if (b.length == 0) {
        frames.add(Frame.of(Opcode.TEXT, b));
      }
      assertCase(c, frames);
    }
  }

  /** Invalid cases fail at the fragment holding the bad byte: nothing after it is asked for. */
  @Test
  void everyInvalidCaseFailsAtItsBadByte() {
    for (Case c : Utf8Corpus.cases(Utf8Corpus.Verdict.INVALID)) {
      byte[] b = c.bytes();
      Feed feed = new Feed();
      FrameHeader header = new FrameHeader(true, 0, Opcode.TEXT, false, b.length);
      for (int i = 0; i < b.length; i++) {
        feed.send(FramePieces.piece(header, new byte[] {b[i]}, i));
        if (i < c.badIndex()) {
          assertNull(feed.error.get(), c + ": failed early, at byte " + i);
        } else {
          assertInvalidAt(feed.error.get(), c.badIndex());
          feed.frames.assertCancelled();
          break;
        }
      }
    }
  }

  private static void assertCase(Case c, List<Frame> frames) {
    Outcome<Message> outcome = Outcome.of(Flux.fromIterable(frames).transform(ASSEMBLER));
    try {
      switch (c.verdict()) {
        case VALID -> {
          List<Message> messages = outcome.assertCompleted();
          assertEquals(1, messages.size());
          assertTrue(messages.get(0).isText());
          assertArrayEquals(c.bytes(), messages.get(0).bytes());
        }
        case TRUNCATED -> outcome.assertError(1007, "text message ends inside a UTF-8 sequence");
        case INVALID -> outcome.assertError(1007,
            "invalid UTF-8 at byte " + c.badIndex() + " of a text message");
        default -> throw new AssertionError(c.verdict());
      }
    } catch (AssertionError e) {
      throw new AssertionError(c + " in " + frames.size() + " frames: " + e.getMessage(), e);
    }
  }
}
