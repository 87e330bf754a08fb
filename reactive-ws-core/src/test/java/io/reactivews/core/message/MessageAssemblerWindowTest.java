package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Decoder and assembler together, as a session chains them: a single-frame message arrives as
 * windows on the decoder's array for its frame, which the assembler checks in place and keeps,
 * wherever the reads are cut; UTF-8 still fails at the read that holds the first bad byte.
 */
class MessageAssemblerWindowTest {

  private static final FrameDecoder SERVER = FrameDecoder.forRole(Role.SERVER);
  private static final MessageAssembler ASSEMBLER = MessageAssembler.create();

  private record Run(List<Message> messages, Throwable error, InboundSource source) {}

  private static Run run(List<byte[]> reads) {
    InboundSource source = InboundSource.of(Memory.DIRECT, reads);
    List<Message> messages = new ArrayList<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    source.flux().transform(SERVER).transform(ASSEMBLER).subscribe(messages::add, error::set);
    source.assertClean();
    return new Run(messages, error.get(), source);
  }

  @Test
  void singleFrameMessagesComeOutWholeWhereverTheReadsAreCut() {
    // "héllo ✓" is 10 bytes of UTF-8: a 2-byte and a 3-byte character that reads may split.
    byte[] text = Bytes.utf8("h\u00e9llo \u2713");
    byte[] binary = Bytes.pattern(7);
    byte[] input = RawFrame.concat(
        RawFrame.text(text).masked(0x1a2b3c4d), RawFrame.binary(binary).masked(0x55aa55aa));
    Chopping.forEach(input, chop -> {
      Run run = run(chop.reads());
      assertNull(run.error(), chop.toString());
      assertEquals(List.of(Message.textUtf8(text), Message.binary(binary)), run.messages(),
          chop.toString());
    });
  }

  /** A fragmented message still joins its frames, whatever windows they arrive in. */
  @Test
  void fragmentedMessagesJoinTheirWindows() {
    byte[] input = RawFrame.concat(
        RawFrame.text("Hel").fin(false).masked(0x01020304),
        RawFrame.ping("x").masked(0x05060708),
        RawFrame.continuation("lo!").masked(0x090a0b0c));
    Chopping.forEach(input, chop -> {
      Run run = run(chop.reads());
      assertNull(run.error(), chop.toString());
      assertEquals(List.of(Message.text("Hello!")), run.messages(), chop.toString());
    });
  }

  /**
   * Byte 5 of a 12-byte text frame is invalid (a lone continuation byte): the stream fails with
   * 1007 once the read holding it is decoded, and the reads after it are never asked for.
   */
  @Test
  void invalidUtf8FailsAtTheReadHoldingTheBadByte() {
    byte[] text = Bytes.utf8("hello world!");
    text[5] = (byte) 0x80;
    byte[] input = RawFrame.text(text).masked(0x0badf00d).bytes(); // 6-byte header
    int bad = 6 + 5;
    for (int from = 7; from <= bad; from++) {
      for (int to = bad + 1; to < input.length; to++) {
        String cuts = "cut at " + from + ", " + to;
        Run run = run(List.of(Arrays.copyOf(input, from), Arrays.copyOfRange(input, from, to),
            Arrays.copyOfRange(input, to, input.length)));
        WebSocketException e = (WebSocketException) run.error();
        assertEquals(1007, e.code(), cuts);
        assertEquals("invalid UTF-8 at byte 5 of a text message", e.getMessage(), cuts);
        assertTrue(run.messages().isEmpty(), cuts);
        assertEquals(2, run.source().emitted(), cuts);
      }
    }
  }
}
