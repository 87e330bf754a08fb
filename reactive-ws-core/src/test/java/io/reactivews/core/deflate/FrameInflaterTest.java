package io.reactivews.core.deflate;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.reactivews.core.deflate.CompressionCounters;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.message.Message;
import io.reactivews.core.message.MessageAssembler;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.Deflating;
import io.reactivews.testing.RawFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Signal;

/**
 * RFC 7692 section 7.2.2 on the inbound path: decoder, inflater, assembler, as a server reads
 * them; inputs cut at every byte boundary; bombs stop at the limit.
 */
class FrameInflaterTest {

  private static final DeflateParameters NO_CONTEXT = new DeflateParameters(true, true, -1, -1);
  private static final long LIMIT = 64 * 1024;

  /** What came out of one run: messages, the error if any, and the inflated bytes produced. */
  private record Run(List<Message> messages, Throwable error, long inflated, boolean heldAfter) {}

  private static Run run(List<byte[]> reads, DeflateParameters agreed, long limit) {
    PerMessageDeflate deflate = PerMessageDeflate.of(Role.SERVER, agreed,
        DeflateOptions.defaults(), CompressionCounters.create());
    AtomicLong inflated = new AtomicLong();
    List<Signal<Message>> signals = Flux.fromIterable(reads)
        .map(Unpooled::wrappedBuffer)
        .transform(FrameDecoder.forRole(Role.SERVER).maxFrameSize(1 << 24)
            .allowRsv(deflate.rsvBits()))
        .transform(deflate.inflating(limit, limit))
        .doOnNext(f -> inflated.addAndGet(f.length()))
        .transform(MessageAssembler.create().maxMessageSize(limit))
        .materialize().collectList().block();
    List<Message> messages = new ArrayList<>();
    Throwable error = null;
    for (Signal<Message> s : signals) {
      if (s.isOnNext()) {
        messages.add(s.get());
      } else if (s.isOnError()) {
        error = s.getThrowable();
      }
    }
    return new Run(messages, error, inflated.get(), deflate.holdsInflater());
  }

  private static Run run(byte[] wire) {
    return run(List.of(wire), NO_CONTEXT, LIMIT);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RawFrame compressed(int opcode, byte[] message) {
    return RawFrame.of(opcode, Deflating.compress(message)).rsv(FrameHeader.RSV1).masked();
  }

  private static int code(Throwable t) {
    return assertInstanceOf(WebSocketException.class, t).status().code();
  }

  @Test
  void compressedTextInflatesWhereverTheReadsAreCut() {
    byte[] hello = utf8("Hello, compressed world! Hello, compressed world!");
    byte[] wire = compressed(RawFrame.TEXT, hello).bytes();
    Chopping.forEach(wire, chop -> {
      Run r = run(chop.reads(), NO_CONTEXT, LIMIT);
      assertNull(r.error(), chop.toString());
      assertEquals(List.of(Message.textUtf8(hello)), r.messages(), chop.toString());
      assertFalse(r.heldAfter(), "the pooled inflater goes back after the message");
    });
  }

  @Test
  void aFragmentedCompressedMessageWithAPingBetweenInflatesWhole() {
    byte[] text = utf8("fragmented ".repeat(200));
    byte[] c = Deflating.compress(text);
    int third = c.length / 3;
    byte[] wire = RawFrame.concat(
        RawFrame.text(Arrays.copyOfRange(c, 0, third)).rsv(FrameHeader.RSV1).fin(false).masked(),
        RawFrame.ping("p").masked(),
        RawFrame.continuation(Arrays.copyOfRange(c, third, 2 * third)).fin(false).masked(),
        RawFrame.continuation(Arrays.copyOfRange(c, 2 * third, c.length)).masked());
    Chopping.forEach(Chopping.inFirst(wire, 64), chop -> {
      Run r = run(chop.reads(), NO_CONTEXT, LIMIT);
      assertNull(r.error(), chop.toString());
      assertEquals(List.of(Message.textUtf8(text)), r.messages(), chop.toString());
    });
  }

  @Test
  void uncompressedMessagesPassAsTheyAre() {
    byte[] wire = RawFrame.concat(RawFrame.text("plain").masked(),
        compressed(RawFrame.BINARY, new byte[] {1, 2, 3}), RawFrame.text("again").masked());
    Run r = run(wire);
    assertNull(r.error());
    assertEquals(List.of(Message.text("plain"), Message.binary(new byte[] {1, 2, 3}),
        Message.text("again")), r.messages());
  }

  @Test
  void anEmptyCompressedMessageIsEmpty() {
    Run r = run(RawFrame.concat(RawFrame.text(new byte[] {0}).rsv(FrameHeader.RSV1).masked(),
        compressed(RawFrame.TEXT, new byte[0])));
    assertNull(r.error());
    assertEquals(List.of(Message.text(""), Message.text("")), r.messages());
  }

  @Test
  void rsv1OnAContinuationFrameIs1002() {
    byte[] c = Deflating.compress(utf8("abcdefabcdef"));
    Run r = run(RawFrame.concat(
        RawFrame.text(Arrays.copyOfRange(c, 0, 4)).rsv(FrameHeader.RSV1).fin(false).masked(),
        RawFrame.continuation(Arrays.copyOfRange(c, 4, c.length)).rsv(FrameHeader.RSV1)
            .masked()));
    assertEquals(1002, code(r.error()));
  }

  @Test
  void dataThatDoesNotInflateIs1007() {
    Run r = run(RawFrame.text(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3})
        .rsv(FrameHeader.RSV1).masked().bytes());
    assertEquals(1007, code(r.error()));
    assertTrue(r.error().getMessage().startsWith("invalid compressed data"));
  }

  @Test
  void invalidUtf8InACompressedTextFailsBeforeTheMessageEnds() {
    byte[] text = new byte[4000];
    Arrays.fill(text, (byte) 'a');
    text[10] = (byte) 0xc0; // never valid
    byte[] c = Deflating.compress(text);
    // Only the first frame of the message arrives: the failure may not wait for the rest.
    Run r = run(RawFrame.text(c).rsv(FrameHeader.RSV1).fin(false).masked().bytes());
    assertEquals(1007, code(r.error()));
  }

  @Test
  void aBombInOneFrameStopsAtTheLimit() {
    Run r = run(compressed(RawFrame.BINARY, new byte[16 << 20]).bytes());
    assertEquals(1009, code(r.error()));
    assertTrue(r.inflated() <= LIMIT, "inflated " + r.inflated());
    assertEquals(List.of(), r.messages());
  }

  @Test
  void aBombInManyFragmentsStopsAtTheLimit() {
    byte[] c = Deflating.bomb(16 << 20);
    List<RawFrame> frames = new ArrayList<>();
    for (int from = 0; from < c.length; from += 100) {
      byte[] part = Arrays.copyOfRange(c, from, Math.min(c.length, from + 100));
      RawFrame f = from == 0 ? RawFrame.binary(part).rsv(FrameHeader.RSV1)
          : RawFrame.continuation(part);
      frames.add(f.fin(from + 100 >= c.length).masked());
    }
    Run r = run(RawFrame.concat(frames.toArray(RawFrame[]::new)));
    assertEquals(1009, code(r.error()));
    assertTrue(r.inflated() <= LIMIT, "inflated " + r.inflated());
  }

  @Test
  void aBombCutAtEveryByteBoundaryStopsAtTheLimit() {
    byte[] wire = compressed(RawFrame.BINARY, new byte[1 << 20]).bytes();
    Chopping.forEach(Chopping.of(wire).stream().filter(c -> c.cuts().length <= 2).toList(),
        chop -> {
          Run r = run(chop.reads(), NO_CONTEXT, 16 * 1024);
          assertEquals(1009, code(r.error()), chop.toString());
          assertTrue(r.inflated() <= 16 * 1024, chop + ": inflated " + r.inflated());
          assertFalse(r.heldAfter(), "released at the failure");
        });
  }

  @Test
  void aPeerThatKeepsContextIsInflatedWithADedicatedInflater() {
    DeflateParameters keeps = new DeflateParameters(false, false, -1, -1);
    List<byte[]> reads = new ArrayList<>();
    List<Message> expected = new ArrayList<>();
    try (Deflating peer = new Deflating(false, false)) {
      for (int i = 0; i < 5; i++) {
        byte[] m = utf8("{\"score\":" + i + ",\"team\":\"blue\",\"map\":\"dust\"}");
        reads.add(RawFrame.text(peer.deflate(m)).rsv(FrameHeader.RSV1).masked().bytes());
        expected.add(Message.textUtf8(m));
      }
    }
    Run r = run(reads, keeps, LIMIT);
    assertNull(r.error());
    assertEquals(expected, r.messages());
    assertFalse(r.heldAfter(), "ended when the stream completed");
  }
}
