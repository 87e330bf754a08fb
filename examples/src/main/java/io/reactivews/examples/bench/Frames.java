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

  /**
   * Payload number {@code index} of {@code size} bytes: printable ASCII for text (valid UTF-8),
   * random bytes for binary.
   */
  static byte[] payload(int opcode, int size, int index) {
    byte[] bytes = new byte[size];
    Random random = new Random(31L * size + index);
    if (opcode == TEXT) {
      byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}:,\""
          .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < size; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
    } else {
      random.nextBytes(bytes);
    }
    return bytes;
  }

  static int opcode(String type) {
    return switch (type) {
      case "text" -> TEXT;
      case "binary" -> BINARY;
      default -> throw new IllegalArgumentException("--type is text or binary, not " + type);
    };
  }
}
