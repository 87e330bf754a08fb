package io.reactivews.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import io.reactivews.core.message.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns values into JSON text messages and messages back into values, so that applications never
 * handle bytes. Immutable and thread-safe: share one codec across all sessions.
 *
 * <pre>{@code
 * JsonCodec json = JsonCodec.create();
 * Message out = json.encode(new Score("bob", 42));          // {"player":"bob","points":42}
 * Score in = json.decode(message, Score.class);
 * Message death = json.event("player_death", new PlayerDeath("bob", "alice"));
 * // {"type":"player_death","player":"bob","killer":"alice"}
 * Flux<Score> scores = session.receive().transform(json.decoder(Score.class));
 * }</pre>
 *
 * <p>Reading: text and binary messages are both read, straight from the message's bytes (UTF-8;
 * binary payloads in UTF-16 or UTF-32 are detected too). A message is exactly one JSON value:
 * trailing content such as {@code {"a":1}{"b":2}} is an error rather than silently dropped, and
 * so is the literal {@code null} when a type is expected, since a stream cannot carry null.
 * Failures are a {@link JsonMessageException} with a short, readable message.
 *
 * <p>Writing: values are serialised straight to UTF-8 bytes and sent as text. A value that cannot
 * be serialised is a programming error, an {@link IllegalArgumentException}.
 *
 * <p>Events are JSON objects whose {@linkplain #typeField() type field} names their kind, written
 * first: see {@link #event(String, Object)}, {@link JsonEvent} and {@link EventRouter}.
 */
public final class JsonCodec {

  /** The field that names an event's kind unless configured otherwise. */
  public static final String DEFAULT_TYPE_FIELD = "type";

  private final ObjectMapper mapper;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final String typeField;

  private JsonCodec(ObjectMapper mapper, String typeField) {
    this.mapper = mapper;
    // Readers and writers are immutable snapshots of the mapper's configuration.
    this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.writer = mapper.writer();
    this.typeField = typeField;
  }

  /**
   * A codec with a default mapper: unknown properties are ignored (peers add fields over time),
   * records and plain objects with getters or public fields bind; no extra modules, so java.time
   * types need {@link #using(ObjectMapper)}.
   */
  public static JsonCodec create() {
    return using(
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build());
  }

  /**
   * A codec that reads and writes with {@code mapper}. Configure the mapper before handing it over
   * and leave it alone afterwards, as Jackson asks of shared mappers. The codec only adds that a
   * message holds exactly one JSON value.
   */
  public static JsonCodec using(ObjectMapper mapper) {
    return new JsonCodec(Objects.requireNonNull(mapper, "mapper"), DEFAULT_TYPE_FIELD);
  }

  /** A copy whose events name their kind in the field {@code name} rather than {@code type}. */
  public JsonCodec withTypeField(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("the type field needs a name");
    }
    return new JsonCodec(mapper, name);
  }

  /** The field that names an event's kind. */
  public String typeField() {
    return typeField;
  }

  /**
   * {@code value} as a JSON text message. A {@link JsonEvent} is written as its object, type
   * first.
   *
   * @throws IllegalArgumentException if the value cannot be serialised, or is already a message
   */
  public Message encode(Object value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof Message) {
      throw new IllegalArgumentException("already a message; send it as it is");
    }
    Object json = value instanceof JsonEvent event ? event.tree() : value;
    byte[] utf8;
    try {
      utf8 = writer.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
    // textUtf8 copies and re-checks what the generator already wrote as UTF-8: Message offers
    // no public way to adopt a trusted array.
    return Message.textUtf8(utf8);
  }

  /**
   * Reads a text or binary message as a {@code type}.
   *
   * @throws JsonMessageException if the message is not JSON, or not JSON for {@code type}
   */
  public <T> T decode(Message message, Class<T> type) {
    return read(message, readerFor(type), describe(type));
  }

  /**
   * Reads a message as a generic type, such as {@code new TypeReference<List<Score>>() {}}.
   *
   * @throws JsonMessageException if the message is not JSON, or not JSON for {@code type}
   */
  public <T> T decode(Message message, TypeReference<T> type) {
    JavaType javaType = javaType(type);
    return read(message, reader.forType(javaType), describe(javaType));
  }

  /**
   * Reads a message as a tree, for JSON whose shape is not known in advance.
   *
   * @throws JsonMessageException if the message is not one JSON value
   */
  public JsonNode tree(Message message) {
    ByteBuffer payload = message.payload();
    JsonNode tree;
    try {
      tree = reader.readTree(new ByteBufferBackedInputStream(payload.duplicate()));
    } catch (JsonProcessingException e) {
      throw JsonMessageException.reading("JSON", e, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw JsonMessageException.empty("JSON", payload, null);
    }
    return tree;
  }

  /**
   * Reads a message as an event: a JSON object with a string type field.
   *
   * @throws JsonMessageException if the message is not JSON, not an object, or has no string type
   */
  public JsonEvent readEvent(Message message) {
    return eventOf(message, tree(message));
  }

  /**
   * An event of kind {@code type} whose other fields are {@code payload}'s, for handlers that
   * reply with events or for inspecting an event before sending it.
   *
   * @throws IllegalArgumentException if {@code payload} does not serialise to a JSON object, or has
   *     a type field of its own with another value
   */
  public JsonEvent toEvent(String type, Object payload) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    JsonNode tree = payload instanceof JsonEvent event ? event.tree() : toTree(payload);
    if (!(tree instanceof ObjectNode fields)) {
      throw new IllegalArgumentException(
          "an event payload must be a JSON object, but "
              + payload.getClass().getName()
              + " is written as "
              + tree.getNodeType());
    }
    JsonNode own = fields.get(typeField);
    if (own != null && !(own.isTextual() && own.textValue().equals(type))) {
      throw new IllegalArgumentException(
          "the payload has its own \"" + typeField + "\" field " + own + ", not \"" + type + "\"");
    }
    ObjectNode event = mapper.createObjectNode();
    event.put(typeField, type);
    for (Map.Entry<String, JsonNode> field : fields.properties()) {
      if (!field.getKey().equals(typeField)) {
        event.set(field.getKey(), field.getValue());
      }
    }
    return new JsonEvent(this, type, event);
  }

  /**
   * The message for an event: {@code {"type":"<type>", ...payload's fields...}}, type first so
   * that a reader can dispatch before reading the rest.
   *
   * @throws IllegalArgumentException as {@link #toEvent(String, Object)} does
   */
  public Message event(String type, Object payload) {
    return encode(toEvent(type, payload));
  }

  /**
   * An operator that reads each message as a {@code type}: {@code Flux<Message> -> Flux<T>}. Bad
   * messages are skipped and logged unless configured otherwise: see {@link JsonDecoder}.
   */
  public <T> JsonDecoder<T> decoder(Class<T> type) {
    return new JsonDecoder<>(this, readerFor(type), describe(type));
  }

  /** {@link #decoder(Class)} for a generic type. */
  public <T> JsonDecoder<T> decoder(TypeReference<T> type) {
    JavaType javaType = javaType(type);
    return new JsonDecoder<>(this, reader.forType(javaType), describe(javaType));
  }

  /** Reads one value with a reader already set to its type; never returns null. */
  <T> T read(Message message, ObjectReader typed, String expected) {
    ByteBuffer payload = message.payload();
    T value;
    try {
      value = typed.readValue(new ByteBufferBackedInputStream(payload.duplicate()));
    } catch (JsonProcessingException e) {
      throw JsonMessageException.reading(expected, e, payload);
    } catch (IOException e) {
      // In-memory input cannot fail to read.
      throw new UncheckedIOException(e);
    }
    if (value == null) {
      throw JsonMessageException.shape(expected, "got null", payload);
    }
    return value;
  }

  /** Binds a tree already read, such as an event, to {@code type}; never returns null. */
  <T> T bind(JsonNode tree, JavaType type) {
    String expected = describe(type);
    T value;
    try {
      value = reader.forType(type).readValue(tree);
    } catch (JsonProcessingException e) {
      throw JsonMessageException.binding(expected, e, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (value == null) {
      throw JsonMessageException.shape(expected, "got null", tree);
    }
    return value;
  }

  /** Checks that a tree read from {@code message} is an event. */
  JsonEvent eventOf(Message message, JsonNode tree) {
    String expected = "an object with a string \"" + typeField + "\" field";
    if (!(tree instanceof ObjectNode object)) {
      throw JsonMessageException.shape(expected, "got " + article(tree), message.payload());
    }
    JsonNode type = object.get(typeField);
    if (type == null) {
      throw JsonMessageException.shape(
          expected, "no \"" + typeField + "\" field", message.payload());
    }
    if (!type.isTextual()) {
      throw JsonMessageException.shape(
          expected, "\"" + typeField + "\" is " + article(type), message.payload());
    }
    return new JsonEvent(this, type.textValue(), object);
  }

  /** {@code value} as a tree, for adding envelope fields. */
  JsonNode toTree(Object value) {
    return mapper.valueToTree(value);
  }

  ObjectNode newObject() {
    return mapper.createObjectNode();
  }

  JavaType javaType(Class<?> type) {
    return mapper.constructType(type);
  }

  JavaType javaType(TypeReference<?> type) {
    return mapper.getTypeFactory().constructType(Objects.requireNonNull(type, "type"));
  }

  private ObjectReader readerFor(Class<?> type) {
    return reader.forType(Objects.requireNonNull(type, "type"));
  }

  static String describe(Class<?> type) {
    String simple = type.getSimpleName();
    return simple.isEmpty() ? type.getName() : simple;
  }

  static String describe(JavaType type) {
    if (!type.hasGenericTypes()) {
      return describe(type.getRawClass());
    }
    // java.util.List<com.example.Score> reads better as List<Score>.
    return type.toCanonical().replaceAll("\\b[a-z_][\\w$]*\\.", "");
  }

  private static String article(JsonNode node) {
    switch (node.getNodeType()) {
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case NULL:
        return "null";
      default:
        return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
  }
}
