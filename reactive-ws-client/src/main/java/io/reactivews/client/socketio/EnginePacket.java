package io.reactivews.client.socketio;

import io.reactivews.core.json.Excerpts;
import io.reactivews.core.message.Message;
import java.util.Objects;

/**
 * One Engine.IO v4 packet as the WebSocket transport carries it: a text message whose first
 * character is the packet type ({@code 0} open, {@code 1} close, {@code 2} ping, {@code 3} pong,
 * {@code 4} message, {@code 5} upgrade, {@code 6} noop) followed by its data, or a binary
 * message, which is always a message packet holding raw bytes (a Socket.IO attachment).
 *
 * <p>Immutable; the byte array of a binary packet is shared, not copied.
 */
record EnginePacket(Type type, String text, byte[] binary) {

  /** The packet types, by their digit on the wire. */
  enum Type {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    char digit() {
      return (char) ('0' + ordinal());
    }
  }

  static final EnginePacket PONG = new EnginePacket(Type.PONG, "", null);

  EnginePacket {
    Objects.requireNonNull(type, "type");
  }

  static EnginePacket message(String text) {
    return new EnginePacket(Type.MESSAGE, text, null);
  }

  static EnginePacket binary(byte[] bytes) {
    return new EnginePacket(Type.MESSAGE, null, bytes);
  }

  boolean isBinary() {
    return binary != null;
  }

  /**
   * Reads a WebSocket message as a packet.
   *
   * @throws SocketIoProtocolException for an empty text message or an unknown type digit
   */
  static EnginePacket decode(Message message) {
    if (message.isBinary()) {
      return binary(message.bytes());
    }
    String text = message.text();
    if (text.isEmpty()) {
      throw new SocketIoProtocolException("empty Engine.IO packet");
    }
    char digit = text.charAt(0);
    if (digit < '0' || digit > '6') {
      throw new SocketIoProtocolException(
          "unknown Engine.IO packet type '" + digit + "' in " + Excerpts.quoted(text));
    }
    return new EnginePacket(Type.values()[digit - '0'], text.substring(1), null);
  }

  /** The packet as one WebSocket message. */
  Message encode() {
    return isBinary() ? Message.binary(binary) : Message.text(type.digit() + text);
  }

  @Override
  public String toString() {
    return isBinary() ? "binary(" + binary.length + " bytes)" : type + " " + Excerpts.quoted(text);
  }
}
