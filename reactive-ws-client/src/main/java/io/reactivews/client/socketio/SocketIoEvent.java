package io.reactivews.client.socketio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * An event the server emitted on a namespace: its name, its arguments as JSON (binary
 * attachments back in place as binary nodes), and, when the server asked for one, a way to
 * acknowledge it.
 *
 * <pre>{@code
 * session.on("question").flatMap(event -> {
 *   Question q = event.arg(0, Question.class);
 *   return event.ack(answer(q));   // the server's callback receives answer(q)
 * }).subscribe();
 * }</pre>
 *
 * <p>Immutable; {@link #ack} may be called from any thread, once.
 */
public final class SocketIoEvent {

  private final SocketIoSession session;
  private final String name;
  private final List<JsonNode> args;
  private final long ackId;

  SocketIoEvent(SocketIoSession session, String name, List<JsonNode> args, long ackId) {
    this.session = session;
    this.name = name;
    this.args = List.copyOf(args);
    this.ackId = ackId;
  }

  public String name() {
    return name;
  }

  /** The arguments after the name, as sent; binary ones as binary nodes. */
  public List<JsonNode> args() {
    return args;
  }

  /**
   * Argument {@code index} bound by Jackson to {@code type} ({@code byte[]} for an attachment).
   *
   * @throws IllegalArgumentException when there is no such argument or it does not bind
   */
  public <T> T arg(int index, Class<T> type) {
    return mapper().convertValue(argument(index), type);
  }

  /** Argument {@code index} bound by Jackson to a generic type. */
  public <T> T arg(int index, TypeReference<T> type) {
    return mapper().convertValue(argument(index), type);
  }

  /** The bytes of every binary argument, in the order they appear (depth first). */
  public List<byte[]> attachments() {
    List<byte[]> found = new ArrayList<>();
    args.forEach(arg -> collectBinaries(arg, found));
    return found;
  }

  /** Whether the server waits for an acknowledgement of this event. */
  public boolean wantsAck() {
    return ackId != SocketIoPacket.NO_ACK;
  }

  /**
   * Acknowledges the event with {@code replyArgs} (JSON values, or {@code byte[]}/{@code
   * ByteBuffer} attachments). Completes when written; fails when the server asked for no ack.
   */
  public Mono<Void> ack(Object... replyArgs) {
    if (!wantsAck()) {
      return Mono.error(new IllegalStateException("event '" + name + "' asked for no ack"));
    }
    return session.sendAck(ackId, replyArgs);
  }

  private JsonNode argument(int index) {
    if (index < 0 || index >= args.size()) {
      throw new IllegalArgumentException(
          "event '" + name + "' has " + args.size() + " argument(s), not " + (index + 1));
    }
    return args.get(index);
  }

  private ObjectMapper mapper() {
    return session.mapper();
  }

  private static void collectBinaries(JsonNode node, List<byte[]> found) {
    if (node.isBinary()) {
      found.add(((com.fasterxml.jackson.databind.node.BinaryNode) node).binaryValue());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collectBinaries(child, found));
    }
  }

  @Override
  public String toString() {
    return "SocketIoEvent[" + session.namespace() + " " + name + " " + args.size() + " arg(s)"
        + (wantsAck() ? ", ack " + ackId : "") + "]";
  }
}
