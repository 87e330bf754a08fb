package io.reactivews.examples.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The payload of every broadcast message and its check on delivery: a stamp (sequence number
 * and the time the message was due) and then fixed filler bytes, random or JSON-like. A
 * subscriber's delivery is checked piece by piece as it arrives; a compressed one
 * (permessage-deflate) is collected, inflated and checked whole. Confined to the load
 * generator's thread.
 */
final class BroadcastPayload {

  /** Bytes at the start of each payload: sequence number and due time. */
  static final int STAMP = 16;

  private final byte[] filler;
  private final Inflater inflater = new Inflater(true);
  /**
   * Compressed payloads already inflated, and what they inflate to: when the server compresses each
   * message alone, every subscriber gets the same bytes for a message, so the load generator
   * inflates each message once, not once per delivery, and stays cheaper than the server it
   * measures. A delivery whose bytes differ from every message seen is inflated afresh, so nothing
   * goes unchecked.
   */
  private final Map<ByteBuffer, byte[]> inflated;

  /** What one subscriber has read of the message arriving. */
  static final class Reading {
    final byte[] stamp = new byte[STAMP];
    int read;
    boolean mismatch;
    final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    /**
     * Its own inflater, when its server keeps context: then every delivery is inflated, in
     * order, since its bytes depend on what this subscriber was sent before. Null when the server
     * compresses each message alone.
     */
    final Inflater history;

    Reading(boolean serverKeepsContext) {
      history = serverKeepsContext ? new Inflater(true) : null;
    }

    long sequence() {
      return bigEndian(stamp, 0);
    }

    long due() {
      return bigEndian(stamp, 8);
    }

    private static long bigEndian(byte[] bytes, int at) {
      long value = 0;
      for (int i = at; i < at + 8; i++) {
        value = value << 8 | (bytes[i] & 0xFF);
      }
      return value;
    }
  }

  BroadcastPayload(int size, boolean json, int remembered) {
    this.filler = json ? json(size) : Frames.payload(Frames.BINARY, size, 0);
    this.inflated = new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
        return size() > remembered;
      }
    };
  }

  int size() {
    return filler.length;
  }

  /** Message {@code sequence}, due at {@code due}, as a client frame. */
  ByteBuffer frame(long sequence, long due, int maskKey) {
    byte[] payload = filler.clone();
    ByteBuffer.wrap(payload).putLong(sequence).putLong(due);
    return Frames.masked(Frames.BINARY, payload, maskKey);
  }

  /** A piece of a delivery; compressed ones are kept until the end of the message. */
  void piece(Reading reading, ByteBuffer slice, boolean compressed) {
    if (compressed) {
      byte[] bytes = new byte[slice.remaining()];
      slice.get(bytes);
      reading.compressed.writeBytes(bytes);
      return;
    }
    int n = slice.remaining();
    int at = reading.read;
    int stampBytes = Math.max(0, Math.min(STAMP - at, n));
    if (stampBytes > 0) { // a later piece of a long payload holds no stamp bytes
      slice.get(slice.position(), reading.stamp, at, stampBytes);
    }
    int rest = n - stampBytes;
    int from = at + stampBytes;
    if (from + rest > filler.length
        || slice.slice(slice.position() + stampBytes, rest)
            .mismatch(ByteBuffer.wrap(filler, from, rest)) >= 0) {
      reading.mismatch = true;
    }
    reading.read += n;
  }

  /**
   * The end of a delivery: whether it was whole and right (its stamp is then in {@code
   * reading}); the reading is ready for the next one.
   */
  boolean end(Reading reading, int opcode, long length, boolean compressed) {
    if (compressed) {
      ByteBuffer wire = ByteBuffer.wrap(reading.compressed.toByteArray());
      reading.compressed.reset();
      byte[] plain = reading.history != null ? inflate(reading.history, wire.array())
          : inflated.get(wire);
      if (plain == null) {
        inflater.reset();
        plain = inflate(inflater, wire.array());
        inflated.put(wire, plain);
      }
      piece(reading, ByteBuffer.wrap(plain), false);
      length = plain.length;
    }
    boolean ok = !reading.mismatch && opcode == Frames.BINARY && length == filler.length;
    reading.read = 0;
    reading.mismatch = false;
    return ok;
  }

  /**
   * A message inflated by {@code inflater}, whose window holds what came before it (or nothing,
   * once reset); empty if bad.
   */
  private byte[] inflate(Inflater inflater, byte[] payload) {
    byte[] input = Arrays.copyOf(payload, payload.length + 4);
    input[payload.length + 2] = (byte) 0xff;
    input[payload.length + 3] = (byte) 0xff;
    inflater.setInput(input);
    byte[] out = new byte[filler.length + 1];
    try {
      int n = 0;
      while (n < out.length) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0) {
          break;
        }
        n += got;
      }
      return Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      return new byte[0];
    }
  }

  /** {@code size} bytes of JSON-like text: a scoreboard, as a game server would send. */
  private static byte[] json(int size) {
    StringBuilder sb = new StringBuilder("{\"scores\":[");
    for (int i = 0; sb.length() < size; i++) {
      sb.append("{\"player\":\"player").append(i).append("\",\"kills\":").append(i * 7 % 31)
          .append(",\"deaths\":").append(i * 3 % 17).append("},");
    }
    return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
  }
}
