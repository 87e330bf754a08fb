package io.reactivews.client.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.reactivews.core.message.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Application values to outbound Engine.IO messages: arguments bound to JSON by Jackson (a
 * {@code byte[]} or {@code ByteBuffer} anywhere becomes a binary node), binary nodes split off
 * as attachments, the packet made BINARY_EVENT or BINARY_ACK when it has any, and every message
 * checked against the server's {@code maxPayload}.
 *
 * <p>Stateless and thread-safe.
 */
final class PacketEncoder {

  private final ObjectMapper mapper;
  private final PacketCodec codec;

  PacketEncoder(ObjectMapper mapper, PacketCodec codec) {
    this.mapper = mapper;
    this.codec = codec;
  }

  /**
   * The packet's messages: its text, then its attachments.
   *
   * @throws SocketIoException when one is larger than {@code maxPayload} bytes
   */
  List<Message> encode(SocketIoPacket packet, long maxPayload) {
    Attachments.Split split = packet.data() == null
        ? new Attachments.Split(null, List.of())
        : Attachments.deconstruct(packet.data());
    SocketIoPacket.Type type = packet.type();
    if (!split.binaries().isEmpty()) {
      type = type == SocketIoPacket.Type.ACK ? SocketIoPacket.Type.BINARY_ACK
          : SocketIoPacket.Type.BINARY_EVENT;
    }
    String text = codec.encode(new SocketIoPacket(type, packet.namespace(), packet.ackId(),
        split.binaries().size(), split.data()));
    List<Message> frames = new ArrayList<>(1 + split.binaries().size());
    frames.add(EnginePacket.message(text).encode());
    for (byte[] binary : split.binaries()) {
      frames.add(EnginePacket.binary(binary).encode());
    }
    for (Message frame : frames) {
      if (frame.size() > maxPayload) {
        throw new SocketIoException("a " + frame.size() + "-byte message exceeds the server's "
            + "maxPayload of " + maxPayload + " bytes");
      }
    }
    return frames;
  }

  /** {@code [event, args...]}. */
  ArrayNode eventArgs(String event, Object... args) {
    Objects.requireNonNull(event, "event");
    return addArgs(mapper.createArrayNode().add(event), args);
  }

  /** {@code [args...]}. */
  ArrayNode ackArgs(Object... args) {
    return addArgs(mapper.createArrayNode(), args);
  }

  /** The connect packet's {@code auth}: null, or a value that binds to a JSON object. */
  JsonNode auth(Object auth) {
    if (auth == null) {
      return null;
    }
    JsonNode json = mapper.valueToTree(auth);
    if (!json.isObject()) {
      throw new IllegalArgumentException("auth must be a JSON object, not " + json.getNodeType());
    }
    return json;
  }

  private ArrayNode addArgs(ArrayNode array, Object... args) {
    // emit("e", (Object[]) null) means one null argument, as varargs would for a null value
    for (Object arg : args == null ? new Object[] {null} : args) {
      if (arg instanceof ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate(); // leaves the caller's position alone
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        array.add(array.binaryNode(bytes));
      } else {
        array.add(mapper.<JsonNode>valueToTree(arg));
      }
    }
    return array;
  }
}
