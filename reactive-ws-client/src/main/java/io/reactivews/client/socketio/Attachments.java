package io.reactivews.client.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Moves binary values between a JSON tree and the binary frames that follow a BINARY_EVENT or
 * BINARY_ACK packet. On the way out each binary node becomes {@code {"_placeholder":true,
 * "num":i}} and its bytes frame {@code i}; on the way in each placeholder becomes a binary node
 * again, so Jackson can bind it to a {@code byte[]}.
 *
 * <p>Stateless; works on copies, never on the caller's tree.
 */
final class Attachments {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Attachments() {}

  /** A tree with placeholders instead of binary nodes, and the bytes they stand for. */
  record Split(JsonNode data, List<byte[]> binaries) {}

  static Split deconstruct(JsonNode data) {
    List<byte[]> binaries = new ArrayList<>();
    JsonNode replaced = replaceBinaries(data, binaries);
    return new Split(replaced, List.copyOf(binaries));
  }

  private static JsonNode replaceBinaries(JsonNode node, List<byte[]> binaries) {
    if (node.isBinary()) {
      ObjectNode placeholder = NODES.objectNode().put("_placeholder", true)
          .put("num", binaries.size());
      binaries.add(((BinaryNode) node).binaryValue());
      return placeholder;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode(node.size());
      node.forEach(element -> copy.add(replaceBinaries(element, binaries)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        copy.set(field.getKey(), replaceBinaries(field.getValue(), binaries));
      }
      return copy;
    }
    return node;
  }

  /**
   * Puts {@code binaries} back where their placeholders are.
   *
   * @throws SocketIoProtocolException for a placeholder whose {@code num} is not the index of
   *     one of {@code binaries}
   */
  static JsonNode reconstruct(JsonNode data, List<byte[]> binaries) {
    if (data == null) {
      return null;
    }
    if (isPlaceholder(data)) {
      JsonNode num = data.get("num");
      if (!num.isIntegralNumber() || num.asLong() < 0 || num.asLong() >= binaries.size()) {
        throw new SocketIoProtocolException("placeholder " + data + " points past the "
            + binaries.size() + " attachment(s) received");
      }
      return NODES.binaryNode(binaries.get(num.asInt()));
    }
    if (data.isArray()) {
      ArrayNode copy = NODES.arrayNode(data.size());
      data.forEach(element -> copy.add(reconstruct(element, binaries)));
      return copy;
    }
    if (data.isObject()) {
      ObjectNode copy = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        copy.set(field.getKey(), reconstruct(field.getValue(), binaries));
      }
      return copy;
    }
    return data;
  }

  private static boolean isPlaceholder(JsonNode node) {
    return node.isObject() && node.path("_placeholder").asBoolean(false) && node.has("num");
  }
}
