package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FramePieces;
import io.reactivews.core.frame.Opcode;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.Outcome;
import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * RFC 6455 section 5.4, fragmentation: fragments join into messages, control frames may come
 * between them and go to the control handler in order, a close frame ends the messages, and a
 * fragment out of place is a protocol error. Also the size limit (1009), checked from frame
 * headers before payload is buffered, and input that ends inside a message (1006).
 */
// StepVerifier can spin forever when an expectation fails inside a synchronous emission that
// its own request triggered; the timeout turns such a failure into a report instead of a hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessageAssemblerTest {

  private static final MessageAssembler ASSEMBLER = MessageAssembler.create();

  private static Frame text(boolean fin, String text) {
    return Frame.of(fin, 0, Opcode.TEXT, Bytes.utf8(text));
  }

  private static Frame binary(boolean fin, byte[] bytes) {
    return Frame.of(fin, 0, Opcode.BINARY, bytes);
  }

  private static Frame cont(boolean fin, String text) {
    return Frame.of(fin, 0, Opcode.CONTINUATION, Bytes.utf8(text));
  }

  private static Frame ping(String text) {
    return Frame.of(Opcode.PING, Bytes.utf8(text));
  }

  /** Assembles {@code frames}, recording control frames and messages in one log, in order. */
  private static Outcome<Message> assemble(MessageAssembler assembler, List<String> log,
      Frame... frames) {
    return Outcome.of(Flux.just(frames)
        .transform(assembler.onControlFrame(f -> log.add("control " + f)))
        .doOnNext(m -> log.add("message " + m)));
  }

  private static Outcome<Message> assemble(Frame... frames) {
    return assemble(ASSEMBLER, new ArrayList<>(), frames);
  }

  @Test
  void unfragmentedMessages() {
    assertEquals(List.of(Message.text("Hello"), Message.binary(Bytes.pattern(3)),
            Message.text("")),
        assemble(text(true, "Hello"), binary(true, Bytes.pattern(3)), text(true, ""))
            .assertCompleted());
  }

  @Test
  void fragmentsAreJoined() {
    assertEquals(List.of(Message.text("Hello, world")),
        assemble(text(false, "Hel"), cont(false, "lo, "), cont(true, "world")).assertCompleted());
    byte[] bytes = Bytes.pattern(300);
    assertEquals(List.of(Message.binary(bytes)),
        assemble(binary(false, java.util.Arrays.copyOfRange(bytes, 0, 100)),
            Frame.of(false, 0, Opcode.CONTINUATION, java.util.Arrays.copyOfRange(bytes, 100, 299)),
            Frame.of(true, 0, Opcode.CONTINUATION, java.util.Arrays.copyOfRange(bytes, 299, 300)))
            .assertCompleted());
  }

  @Test
  void emptyFragmentsMakeEmptyOrShortMessages() {
    assertEquals(List.of(Message.text("")),
        assemble(text(false, ""), cont(false, ""), cont(true, "")).assertCompleted());
    assertEquals(List.of(Message.text("middle")),
        assemble(text(false, ""), cont(false, "middle"), cont(true, "")).assertCompleted());
  }

  /** Section 5.4: "Control frames MAY be injected in the middle of a fragmented message." */
  @Test
  void controlFramesBetweenFragmentsGoToTheHandlerInOrder() {
    List<String> log = new ArrayList<>();
    List<Message> messages = assemble(ASSEMBLER, log,
        ping("1"), text(false, "Hel"), ping("2"), cont(false, "lo"),
        Frame.of(Opcode.PONG, Bytes.utf8("3")), cont(true, "!"), ping("4"), text(true, "next"))
        .assertCompleted();
    assertEquals(List.of(Message.text("Hello!"), Message.text("next")), messages);
    assertEquals(List.of(
        "control PING 1 bytes", "control PING 1 bytes", "control PONG 1 bytes",
        "message TEXT \"Hello!\"", "control PING 1 bytes", "message TEXT \"next\""), log);
  }

  @Test
  void theControlHandlerSeesTheFramesItself() {
    List<Frame> seen = new CopyOnWriteArrayList<>();
    Frame ping = ping("are you there");
    Frame close = Frame.of(Opcode.CLOSE, Bytes.hex("03 e8"));
    Flux.just(ping, close).transform(ASSEMBLER.onControlFrame(seen::add)).blockLast();
    assertEquals(List.of(ping, close), seen);
  }

  /** Section 5.5.1: after a close frame nothing more is read from the peer. */
  @Test
  void aCloseFrameCompletesTheMessagesAndStopsReading() {
    TestPublisher<Frame> frames = TestPublisher.create();
    List<String> log = new ArrayList<>();
    MessageAssembler logging = ASSEMBLER.onControlFrame(f -> log.add(f.toString()));
    StepVerifier.create(frames.flux().transform(logging))
        .then(() -> frames.next(text(true, "last words")))
        .expectNext(Message.text("last words"))
        .then(() -> frames.next(Frame.of(Opcode.CLOSE, Bytes.hex("03 e8"))))
        .verifyComplete();
    frames.assertCancelled();
    assertEquals(List.of("CLOSE 2 bytes"), log);
  }

  @Test
  void aCloseFrameBetweenFragmentsEndsTheStreamWithoutTheMessage() {
    List<String> log = new ArrayList<>();
    assertEquals(List.of(), assemble(ASSEMBLER, log, text(false, "Hel"),
        Frame.empty(Opcode.CLOSE), cont(true, "lo")).assertCompleted());
    assertEquals(List.of("control CLOSE 0 bytes"), log);
  }

  @Test
  void continuationWithNothingToContinueIsAProtocolError() {
    assemble(cont(true, "x")).assertError(1002, "continuation frame with no message to continue");
    assertEquals(List.of(Message.text("done")),
        assemble(text(true, "done"), cont(false, "x"))
            .assertError(1002, "continuation frame with no message to continue"));
  }

  @Test
  void aNewDataFrameInsideAFragmentedMessageIsAProtocolError() {
    assemble(text(false, "a"), text(true, "b"))
        .assertError(1002, "TEXT frame inside a fragmented TEXT message");
    assemble(text(false, "a"), ping("p"), binary(true, new byte[1]))
        .assertError(1002, "BINARY frame inside a fragmented TEXT message");
    assemble(binary(false, new byte[1]), cont(false, ""), text(false, "b"))
        .assertError(1002, "TEXT frame inside a fragmented BINARY message");
  }

  @Test
  void inputEndingInsideAFragmentedMessageFailsWith1006() {
    assertEquals(List.of(Message.text("whole")),
        assemble(text(true, "whole"), text(false, "Hel"), cont(false, "lo"))
            .assertError(1006, "connection ended in the middle of a fragmented message"));
    // Also when it ends inside the pieces of a final frame.
    List<Frame> pieces = FramePieces.split(true, Opcode.BINARY, Bytes.pattern(8), 3);
    assemble(pieces.get(0)).assertError(1006, "connection ended in the middle");
  }

  @Test
  void inputEndingBetweenMessagesCompletes() {
    assertEquals(List.of(), assemble().assertCompleted());
    assertEquals(List.of(Message.text("x")), assemble(text(true, "x"), ping("")).assertCompleted());
  }

  /** A frame in pieces makes the same message as the frame whole. */
  @Test
  void piecesOfFramesJoinLikeWholeFrames() {
    byte[] bytes = Bytes.pattern(20);
    for (int cut = 1; cut < 20; cut++) {
      List<Frame> frames = new ArrayList<>();
      frames.addAll(FramePieces.split(false, Opcode.BINARY, java.util.Arrays.copyOf(bytes, 12),
          Math.min(cut, 11)));
      frames.add(ping("between"));
      frames.addAll(FramePieces.split(true, Opcode.CONTINUATION,
          java.util.Arrays.copyOfRange(bytes, 12, 20), Math.max(1, cut % 8)));
      assertEquals(List.of(Message.binary(bytes)),
          assemble(frames.toArray(Frame[]::new)).assertCompleted(), "cut " + cut);
    }
  }

  @Test
  void messagesUpToTheLimitAreAccepted() {
    MessageAssembler ten = ASSEMBLER.maxMessageSize(10);
    assertEquals(List.of(Message.binary(new byte[10]), Message.text("0123456789")),
        assemble(ten, new ArrayList<>(), binary(true, new byte[10]), text(false, "012345"),
            cont(true, "6789")).assertCompleted());
    MessageAssembler none = ASSEMBLER.maxMessageSize(0);
    assertEquals(List.of(Message.text("")), assemble(none, new ArrayList<>(), text(true, ""))
        .assertCompleted());
    assertEquals(10, ten.maxMessageSize());
    assertEquals(MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, ASSEMBLER.maxMessageSize());
    assertThrows(IllegalArgumentException.class, () -> ASSEMBLER.maxMessageSize(-1));
  }

  /** The frame header announces the size: the first piece of an oversized frame fails. */
  @Test
  void aFrameOverTheLimitFailsWith1009AtItsFirstPiece() {
    TestPublisher<Frame> frames = TestPublisher.create();
    StepVerifier.create(frames.flux().transform(ASSEMBLER.maxMessageSize(10)))
        .then(() -> frames.next(FramePieces.start(true, Opcode.BINARY, 11, new byte[1])))
        .verifyErrorSatisfies(e -> assertTooBig(e, "message of 11 bytes or more exceeds"));
    frames.assertCancelled();
  }

  @Test
  void fragmentsOverTheLimitFailWith1009AtTheFirstPieceOfTheFragmentThatCrossesIt() {
    TestPublisher<Frame> frames = TestPublisher.create();
    StepVerifier.create(frames.flux().transform(ASSEMBLER.maxMessageSize(10)))
        .then(() -> frames.next(text(false, "012345")))
        .then(() -> frames.next(ping("ignored for size")))
        .then(() -> frames.next(FramePieces.start(true, Opcode.CONTINUATION, 5, Bytes.utf8("6"))))
        .verifyErrorSatisfies(e -> assertTooBig(e, "message of 11 bytes or more exceeds"));
    frames.assertCancelled();
  }

  /** With no practical limit configured, a frame too big for any array must still fail cleanly. */
  @Test
  void aFrameLargerThanAnArrayCanHoldFailsWith1009() {
    MessageAssembler unlimited = ASSEMBLER.maxMessageSize(Long.MAX_VALUE);
    assemble(unlimited, new ArrayList<>(),
        FramePieces.start(true, Opcode.BINARY, 3_000_000_000L, new byte[1]))
        .assertError(1009, "message of 3000000000 bytes or more exceeds the limit of");
    assemble(unlimited, new ArrayList<>(),
        text(false, "a"),
        FramePieces.start(true, Opcode.CONTINUATION, Integer.MAX_VALUE, new byte[1]))
        .assertError(1009, "message of 2147483648 bytes or more exceeds the limit of");
  }

  /** Through the decoder: a header and one payload byte are all it takes to fail. */
  @Test
  void anOversizedMessageFailsBeforeItsPayloadArrives() {
    byte[] header = RawFrame.text("").declaredLength(100_000).masked().header();
    for (Memory memory : Memory.values()) {
      InboundSource source = InboundSource.of(memory,
          Bytes.concat(header, new byte[] {(byte) ('a' ^ 0x37)})).leftOpen();
      StepVerifier.create(source.flux()
              .transform(FrameDecoder.forRole(Role.SERVER))
              .transform(ASSEMBLER.maxMessageSize(65536)))
          .expectErrorSatisfies(e -> assertTooBig(e, "message of 100000 bytes or more"))
          .verify(Duration.ofSeconds(10));
      assertTrue(source.isCancelled());
      source.assertClean();
    }
  }

  /** A fragment that completes no message is followed by a request for the next frame. */
  @Test
  void framesAreRequestedOneAtATime() {
    TestPublisher<Frame> frames = TestPublisher.create();
    StepVerifier.create(frames.flux().transform(ASSEMBLER), 0)
        .then(() -> frames.assertMaxRequested(0))
        .thenRequest(1)
        .then(() -> frames.assertMinRequested(1).assertMaxRequested(1))
        .then(() -> frames.next(text(false, "a")))
        .then(() -> frames.assertMinRequested(1).assertMaxRequested(1))
        .then(() -> frames.next(cont(true, "b")))
        .expectNext(Message.text("ab"))
        .then(() -> frames.assertMaxRequested(0))
        .thenCancel()
        .verify();
    frames.assertCancelled();
  }

  /** The whole path, bytes to messages, with the bytes cut at every boundary. */
  @Test
  void maskedBytesBecomeMessagesWhereverTheReadsAreCut() {
    byte[] input = RawFrame.concat(
        RawFrame.text("Hel").fin(false).masked(0x01020304),
        RawFrame.ping("1").masked(0x05060708),
        RawFrame.continuation("lo w").fin(false).masked(0x090a0b0c),
        RawFrame.pong("").masked(0x0d0e0f10),
        RawFrame.continuation("örld").masked(0x11121314),
        RawFrame.binary(Bytes.pattern(5)).masked(0x15161718),
        RawFrame.close(1000, "").masked(0x191a1b1c),
        RawFrame.text("after close").masked());
    Chopping.forEach(input, chop -> {
      for (Memory memory : Memory.values()) {
        InboundSource source = InboundSource.of(memory, chop.reads());
        List<String> control = new ArrayList<>();
        Outcome<Message> outcome = Outcome.of(source.flux()
            .transform(FrameDecoder.forRole(Role.SERVER))
            .transform(ASSEMBLER.onControlFrame(f -> control.add(f.opcode().name()))));
        assertEquals(List.of(Message.text("Hello wörld"), Message.binary(Bytes.pattern(5))),
            outcome.assertCompleted());
        assertEquals(List.of("PING", "PONG", "CLOSE"), control);
        assertTrue(source.isCancelled(), "reading stops at the close frame");
        source.assertClean();
      }
    });
  }

  private static void assertTooBig(Throwable e, String fragment) {
    WebSocketException wse = (WebSocketException) e;
    assertEquals(1009, wse.code());
    assertTrue(wse.getMessage().contains(fragment), wse.getMessage());
  }
}
