package io.reactivews.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A test peer's own permessage-deflate (RFC 7692 section 7.2), straight on the JDK's zlib and
 * independent of the code under test: compress as a peer would, inflate what an endpoint sent.
 * An instance keeps context between messages unless told to reset; not thread-safe.
 *
 * <pre>{@code
 * byte[] wire = Deflating.compress(utf8("Hello"));        // no tail, ready for an RSV1 frame
 * byte[] back = Deflating.inflate(wire);
 * }</pre>
 */
public final class Deflating implements AutoCloseable {

  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final Inflater inflater = new Inflater(true);
  private final boolean resetDeflater;
  private final boolean resetInflater;

  /**
   * A peer that resets its compressor after each message if {@code resetDeflater}, and its
   * decompressor if {@code resetInflater} (as it must when the other end keeps no context:
   * then a message that needs the previous one fails to inflate).
   */
  public Deflating(boolean resetDeflater, boolean resetInflater) {
    this.resetDeflater = resetDeflater;
    this.resetInflater = resetInflater;
  }

  /** One message compressed with its tail removed; context kept unless resetting. */
  public byte[] deflate(byte[] message) {
    deflater.setInput(message);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    do {
      n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      out.write(buf, 0, n);
    } while (n == buf.length);
    if (resetDeflater) {
      deflater.reset();
    }
    byte[] all = out.toByteArray();
    if (!Arrays.equals(all, all.length - 4, all.length, TAIL, 0, 4)) {
      throw new AssertionError("a sync flush ends with 00 00 ff ff");
    }
    return Arrays.copyOf(all, all.length - 4);
  }

  /** One compressed message's payload inflated, tail appended as section 7.2.2 says. */
  public byte[] inflate(byte[] payload) {
    byte[] input = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(TAIL, 0, input, payload.length, 4);
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      while (true) {
        int n = inflater.inflate(buf);
        out.write(buf, 0, n);
        if (n == 0 && (inflater.needsInput() || inflater.finished())) {
          break;
        }
      }
    } catch (DataFormatException e) {
      throw new AssertionError("the endpoint sent data that does not inflate: " + e, e);
    }
    if (resetInflater || inflater.finished()) {
      inflater.reset();
    }
    return out.toByteArray();
  }

  /** A message compressed alone: what a peer without context takeover sends. */
  public static byte[] compress(byte[] message) {
    try (Deflating d = new Deflating(true, true)) {
      return d.deflate(message);
    }
  }

  /** The length of a message compressed alone, by Huffman coding only if asked. */
  public static int compressedLength(byte[] message, boolean huffmanOnly) {
    try (Deflating d = new Deflating(true, true)) {
      if (huffmanOnly) {
        d.deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        // The JDK applies a new strategy in a call of its own, which compresses nothing.
        d.deflater.deflate(new byte[64], 0, 64, Deflater.NO_FLUSH);
      }
      return d.deflate(message).length;
    }
  }

  /** A message compressed alone, inflated alone. */
  public static byte[] decompress(byte[] payload) {
    try (Deflating d = new Deflating(true, true)) {
      return d.inflate(payload);
    }
  }

  /** {@code size} zero bytes compressed: about a thousandth of the size, a bomb's payload. */
  public static byte[] bomb(int size) {
    return compress(new byte[size]);
  }

  @Override
  public void close() {
    deflater.end();
    inflater.end();
  }
}
