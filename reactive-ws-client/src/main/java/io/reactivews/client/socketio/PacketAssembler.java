package io.reactivews.client.socketio;

import io.reactivews.core.json.Excerpts;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the Engine.IO messages of one connection into whole Socket.IO packets: a text packet is
 * whole at once unless it announces attachments, in which case it waits for that many binary
 * messages and then gets its bytes back in place of its placeholders.
 *
 * <p>A binary message nobody announced, or a text packet while attachments are still due, is a
 * {@link SocketIoProtocolException}. Not thread-safe: one connection's messages, in order.
 */
final class PacketAssembler {

  private final PacketCodec codec;
  private SocketIoPacket waiting;
  private final List<byte[]> received = new ArrayList<>();

  PacketAssembler(PacketCodec codec) {
    this.codec = codec;
  }

  /** The packet {@code text} makes, or null when it waits for attachments. */
  SocketIoPacket onText(String text) {
    if (waiting != null) {
      throw new SocketIoProtocolException("text packet " + Excerpts.quoted(text) + " while "
          + (waiting.attachments() - received.size()) + " attachment(s) of a "
          + waiting.type() + " were still due");
    }
    SocketIoPacket packet = codec.decode(text);
    if (!packet.type().isBinary()) {
      return packet;
    }
    waiting = packet;
    return null;
  }

  /** The packet this attachment completes, or null when more are due. */
  SocketIoPacket onBinary(byte[] bytes) {
    if (waiting == null) {
      throw new SocketIoProtocolException(
          "binary message of " + bytes.length + " bytes when no attachment was due");
    }
    received.add(bytes);
    if (received.size() < waiting.attachments()) {
      return null;
    }
    SocketIoPacket whole = waiting.withData(Attachments.reconstruct(waiting.data(), received));
    reset();
    return whole;
  }

  /** Forgets a packet left half-received by a lost connection. */
  void reset() {
    waiting = null;
    received.clear();
  }

  boolean isWaiting() {
    return waiting != null;
  }
}
