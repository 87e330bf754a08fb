package io.reactivews.examples.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Client frames for the load generator, encoded once before the clock starts (RFC 6455 section
 * 5.2): masked, as a client must, with a key chosen per prepared frame. Also the payloads they
 * carry, each distinct so that an echo mixed up with another is caught.
 */
final class Frames {

  static final int TEXT = 1;
  static final int BINARY = 2;

  private Frames() {}

  /** A whole masked frame in a read-only direct buffer, to send duplicates of many times. */
  static ByteBuffer prepared(int opcode, byte[] payload, int key) {
    ByteBuffer frame = masked(opcode, payload, key);
    return ByteBuffer.allocateDirect(frame.remaining()).put(frame).flip().asReadOnlyBuffer();
  }

  /** A whole masked frame in a heap buffer, to send once. */
  static ByteBuffer masked(int opcode, byte[] payload, int key) {
    int length = payload.length;
    int header = 2 + (length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8) + 4;
    ByteBuffer frame = ByteBuffer.allocate(header + length);
    frame.put((byte) (0x80 | opcode));
    if (length <= 125) {
      frame.put((byte) (0x80 | length));
    } else if (length <= 0xFFFF) {
      frame.put((byte) (0x80 | 126)).putShort((short) length);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(length);
    }
    frame.putInt(key);
    for (int i = 0; i < length; i++) {
      frame.put((byte) (payload[i] ^ (key >>> (24 - 8 * (i & 3)))));
    }
    return frame.flip();
  }

  /** Characters of text payloads: mostly ASCII, as chat and JSON are, and some of 2, 3, 4 bytes. */
  private static final String[] TEXT_CHARACTERS = {"a", "b", "c", "d", "e", "k", "s", "z", "A",
      "Q", "0", "7", " ", "{", "}", ":", ",", "\"", "\u00e9", "\u00df", "\u20ac", "\u4e2d",
      "\ud83d\ude00"};

  /**
   * Payload number {@code index} of {@code size} bytes: valid UTF-8 for text, with characters of
   * every length so that a server's validator does real work; random bytes for binary.
   */
  static byte[] payload(int opcode, int size, int index) {
    Random random = new Random(31L * size + index);
    if (opcode != TEXT) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      return bytes;
    }
    ByteBuffer text = ByteBuffer.allocate(size);
    while (text.hasRemaining()) {
      byte[] character = TEXT_CHARACTERS[random.nextInt(TEXT_CHARACTERS.length)]
          .getBytes(StandardCharsets.UTF_8);
      // Near the end only one-byte characters fit for sure.
      text.put(character.length <= text.remaining() ? character : new byte[] {'x'});
    }
    return text.array();
  }

  static int opcode(String type) {
    return switch (type) {
      case "text" -> TEXT;
      case "binary" -> BINARY;
      default -> throw new IllegalArgumentException("--type is text or binary, not " + type);
    };
  }
}
