package io.reactivews.core.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A typed JSON event: an object whose type field (by default {@code "type"}) names its kind,
 * such as {@code {"type":"player_death","player":"bob","killer":"alice"}}.
 *
 * <p>Read one with {@link JsonCodec#readEvent}, make one with {@link JsonCodec#toEvent}; an
 * {@link EventRouter} hands them to handlers by type. Binding with {@link #as(Class)} sees the
 * whole object, the type field included, so a class may declare the envelope fields it wants to
 * read; with the default codec, fields a class does not declare are ignored.
 *
 * <p>Immutable and thread-safe: the accessors hand out copies of containers, never the event's
 * own tree.
 *
 * <pre>{@code
 * JsonEvent event = json.readEvent(message);
 * if (event.type().equals("player_death")) {
 *   PlayerDeath death = event.as(PlayerDeath.class);
 * }
 * }</pre>
 */
public final class JsonEvent {

  private final JsonCodec codec;
  private final String type;
  private final ObjectNode tree;

  JsonEvent(JsonCodec codec, String type, ObjectNode tree) {
    this.codec = codec;
    this.type = type;
    this.tree = tree;
  }

  /** The event's kind, the value of its type field. */
  public String type() {
    return type;
  }

  /**
   * One field's value, a {@code MissingNode} when absent (as {@link JsonNode#path} does), so that
   * lookups chain without null checks: {@code event.field("player").path("name").asText()}.
   */
  public JsonNode field(String name) {
    // Value nodes are immutable and copy to themselves; only containers are really copied.
    return tree.path(Objects.requireNonNull(name, "name")).deepCopy();
  }

  /** Whether the event has a field called {@code name}, even one holding null. */
  public boolean has(String name) {
    return tree.has(name);
  }

  /** A copy of the whole object, type field first. */
  public ObjectNode node() {
    return tree.deepCopy();
  }

  /**
   * The event bound to {@code type}.
   *
   * @throws JsonMessageException if the fields do not bind, with the path of the one that failed
   */
  public <T> T as(Class<T> type) {
    return codec.bind(tree, codec.javaType(Objects.requireNonNull(type, "type")));
  }

  /** The event bound to a generic type. */
  public <T> T as(TypeReference<T> type) {
    return codec.bind(tree, codec.javaType(type));
  }

  /** The event's own tree, for this package's writers, which must not change it. */
  ObjectNode tree() {
    return tree;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonEvent other && other.type.equals(type) && other.tree.equals(tree);
  }

  @Override
  public int hashCode() {
    return tree.hashCode();
  }

  @Override
  public String toString() {
    return "JsonEvent " + Excerpts.truncate(tree.toString(), 120);
  }
}
