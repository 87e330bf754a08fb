package io.reactivews.client.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One Socket.IO v5 packet, the payload of an Engine.IO message packet:
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<json>]}.
 *
 * <pre>
 * 0/admin,{"token":"t"}           CONNECT to /admin with an auth payload
 * 2["chat","hi"]                  EVENT on /
 * 213["ping"]                     EVENT asking for ack 13
 * 313["pong"]                     ACK 13
 * 51-/admin,["file",{"_placeholder":true,"num":0}]   BINARY_EVENT, one binary frame follows
 * </pre>
 *
 * <p>{@code data} holds placeholders for binary types until {@link Attachments} puts the bytes
 * back as binary nodes. Immutable (the JSON tree is not copied: do not change it).
 *
 * @param ackId the acknowledgement id, or {@link #NO_ACK}
 * @param attachments for BINARY_EVENT and BINARY_ACK, how many binary frames follow
 * @param data the JSON payload, or null when there is none
 */
record SocketIoPacket(Type type, String namespace, long ackId, int attachments, JsonNode data) {

  static final long NO_ACK = -1;
  static final String MAIN = "/";

  /** The packet types, by their digit on the wire. */
  enum Type {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    char digit() {
      return (char) ('0' + ordinal());
    }

    boolean isBinary() {
      return this == BINARY_EVENT || this == BINARY_ACK;
    }
  }

  SocketIoPacket {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
  }

  static SocketIoPacket of(Type type, String namespace, JsonNode data) {
    return new SocketIoPacket(type, namespace, NO_ACK, 0, data);
  }

  boolean hasAckId() {
    return ackId != NO_ACK;
  }

  SocketIoPacket withData(JsonNode newData) {
    return new SocketIoPacket(type, namespace, ackId, attachments, newData);
  }
}
