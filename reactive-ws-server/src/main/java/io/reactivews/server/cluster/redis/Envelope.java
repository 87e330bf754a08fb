package io.reactivews.server.cluster.redis;

import io.reactivews.core.message.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message with a label (the publishing node, or the target session), as one binary value:
 * {@code [1 version][1 type: 0 text, 1 binary][2 label length][label UTF-8][payload]}. Text
 * payloads stay UTF-8 bytes, so a message is never decoded on its way through Redis.
 */
record Envelope(String label, Message message) {

  private static final byte VERSION = 1;

  byte[] encode() {
    byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(4 + labelBytes.length + message.size());
    out.put(VERSION).put(message.isText() ? (byte) 0 : (byte) 1);
    out.putShort((short) labelBytes.length).put(labelBytes).put(message.payload());
    return out.array();
  }

  /** The envelope in {@code bytes}; null if it is not one this version reads. */
  static Envelope decode(byte[] bytes) {
    if (bytes.length < 4 || bytes[0] != VERSION) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.get();
    boolean text = in.get() == 0;
    int labelLength = Short.toUnsignedInt(in.getShort());
    if (in.remaining() < labelLength) {
      return null;
    }
    String label = new String(bytes, 4, labelLength, StandardCharsets.UTF_8);
    byte[] payload = new byte[bytes.length - 4 - labelLength];
    System.arraycopy(bytes, 4 + labelLength, payload, 0, payload.length);
    try {
      return new Envelope(label, text ? Message.textUtf8(payload) : Message.binary(payload));
    } catch (IllegalArgumentException e) {
      return null; // text that is not UTF-8: not from this bus
    }
  }
}
