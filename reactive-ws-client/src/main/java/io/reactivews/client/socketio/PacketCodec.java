package io.reactivews.client.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reactivews.core.json.Excerpts;

/**
 * Writes and reads the text form of a {@link SocketIoPacket}, checking on the way in that each
 * type carries what the protocol says: CONNECT an optional object, DISCONNECT nothing, EVENT a
 * non-empty array starting with the event name, ACK an array, CONNECT_ERROR an object (or, from
 * older servers, a string). Binary attachments are {@link Attachments}' business.
 *
 * <p>Stateless and thread-safe.
 */
final class PacketCodec {

  private static final int MAX_ATTACHMENTS = 1_000;

  private final ObjectMapper mapper;

  PacketCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  String encode(SocketIoPacket packet) {
    StringBuilder out = new StringBuilder().append(packet.type().digit());
    if (packet.type().isBinary()) {
      out.append(packet.attachments()).append('-');
    }
    if (!packet.namespace().equals(SocketIoPacket.MAIN)) {
      out.append(packet.namespace()).append(',');
    }
    if (packet.hasAckId()) {
      out.append(packet.ackId());
    }
    if (packet.data() != null) {
      try {
        out.append(mapper.writeValueAsString(packet.data()));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("cannot write " + packet.type() + " as JSON", e);
      }
    }
    return out.toString();
  }

  /** @throws SocketIoProtocolException when {@code text} is not a valid packet */
  SocketIoPacket decode(String text) {
    if (text.isEmpty()) {
      throw new SocketIoProtocolException("empty Socket.IO packet");
    }
    char digit = text.charAt(0);
    if (digit < '0' || digit > '6') {
      throw bad("unknown Socket.IO packet type '" + digit + "'", text);
    }
    SocketIoPacket.Type type = SocketIoPacket.Type.values()[digit - '0'];
    int at = 1;
    int attachments = 0;
    if (type.isBinary()) {
      int dash = text.indexOf('-', at);
      if (dash < 0) {
        throw bad(type + " without an attachment count", text);
      }
      attachments = attachmentCount(text.substring(at, dash), text);
      at = dash + 1;
    }
    String namespace = SocketIoPacket.MAIN;
    if (at < text.length() && text.charAt(at) == '/') {
      int comma = text.indexOf(',', at);
      int end = comma < 0 ? text.length() : comma;
      namespace = text.substring(at, end);
      at = comma < 0 ? end : comma + 1;
    }
    int idStart = at;
    while (at < text.length() && Character.isDigit(text.charAt(at))) {
      at++;
    }
    long ackId = SocketIoPacket.NO_ACK;
    if (at > idStart) {
      if (at - idStart > 15) {
        throw bad("acknowledgement id too long", text);
      }
      ackId = Long.parseLong(text.substring(idStart, at));
    }
    JsonNode data = at < text.length() ? json(text.substring(at), text) : null;
    check(type, ackId, data, text);
    return new SocketIoPacket(type, namespace, ackId, attachments, data);
  }

  private static int attachmentCount(String digits, String text) {
    if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
      throw bad("attachment count is not a number", text);
    }
    int count = Integer.parseInt(digits);
    if (count < 1 || count > MAX_ATTACHMENTS) {
      throw bad("attachment count " + count + " is not between 1 and " + MAX_ATTACHMENTS, text);
    }
    return count;
  }

  private JsonNode json(String json, String text) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SocketIoProtocolException("Socket.IO packet data is not JSON: " + Excerpts.quoted(text),
          e);
    }
  }

  private static void check(SocketIoPacket.Type type, long ackId, JsonNode data, String text) {
    boolean ok = switch (type) {
      case CONNECT -> data == null || data.isObject();
      case DISCONNECT -> data == null;
      case CONNECT_ERROR -> data != null && (data.isObject() || data.isTextual());
      case EVENT, BINARY_EVENT -> data != null && data.isArray() && data.size() > 0
          && data.get(0).isTextual();
      case ACK, BINARY_ACK -> ackId != SocketIoPacket.NO_ACK && data != null && data.isArray();
    };
    if (!ok) {
      throw bad(type + " with a payload the protocol does not allow", text);
    }
  }

  private static SocketIoProtocolException bad(String what, String text) {
    return new SocketIoProtocolException(what + ": " + Excerpts.quoted(text));
  }
}
