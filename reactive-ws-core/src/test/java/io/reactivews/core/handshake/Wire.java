package io.reactivews.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Feeds bytes to a parser the way a network would: in chunks, each in a pooled (leak-tracked)
 * buffer that is released as soon as the parser returns, as Reactor Netty does.
 */
final class Wire {

  static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  private Wire() {}

  /** What a parse produced: the head (null if incomplete) and the bytes it left for the frames. */
  record Parsed<T>(T head, byte[] leftover) {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] hex(String hex) {
    return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Feeds {@code bytes} cut at {@code cuts} (ascending offsets), one buffer per piece. */
  static <T> Parsed<T> feed(HttpHeadParser<T> parser, byte[] bytes, int... cuts) {
    T head = null;
    ByteArrayOutputStream leftover = new ByteArrayOutputStream();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : bytes.length;
      ByteBuf buf = ALLOC.buffer(Math.max(1, to - from)).writeBytes(bytes, from, to - from);
      try {
        if (head == null) {
          head = parser.parse(buf);
          if (head == null) {
            assertEquals(0, buf.readableBytes(), "an incomplete head must consume all it is given");
          }
        }
        byte[] rest = new byte[buf.readableBytes()];
        buf.readBytes(rest);
        leftover.writeBytes(rest);
      } finally {
        buf.release();
      }
      from = to;
    }
    return new Parsed<>(head, leftover.toByteArray());
  }

  /** Cuts that put every byte in a buffer of its own. */
  static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  /** The bytes {@code writer} puts in a new buffer, which is released here. */
  static <H> byte[] written(H head, Function<H, ByteBuf> writer) {
    ByteBuf buf = writer.apply(head);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
