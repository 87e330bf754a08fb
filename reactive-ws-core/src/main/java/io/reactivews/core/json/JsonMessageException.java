package io.reactivews.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A message that is not the JSON the application expected: malformed, truncated, empty, or of
 * the wrong shape for the target type. Its message is one readable line, for example:
 *
 * <pre>
 * expected PlayerDeath at line 1, column 22, $.hp: Cannot deserialize value of type `int` from
 * String "abc": not a valid `int` value; near: {"player":"bob","hp":"abc"}
 * </pre>
 *
 * <p>What was expected, where (line and column in the message, counted in bytes, when known;
 * the field path when known), the parser's complaint cut to 160 characters, and at most 64 bytes
 * of the message around the error with line breaks escaped, so that a hostile peer can neither
 * flood nor forge log lines. The parser's own exception is kept as the cause for debugging.
 *
 * <p>It is a problem with one message, not with the connection: the JSON operators skip and
 * report it unless told to close the session (see {@link JsonDecoder#failOnMalformed()}).
 */
public final class JsonMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String expected;
  private final int line;
  private final int column;
  private final String path;
  private final String excerpt;

  private JsonMessageException(
      String expected,
      String problem,
      int line,
      int column,
      String path,
      String excerpt,
      Throwable cause) {
    super(format(expected, problem, line, column, path, excerpt), cause);
    this.expected = expected;
    this.line = line;
    this.column = column;
    this.path = path;
    this.excerpt = excerpt;
  }

  /** A parse or bind failure while reading {@code payload}. */
  static JsonMessageException reading(
      String expected, JsonProcessingException e, ByteBuffer payload) {
    if (isBlank(payload)) {
      return empty(expected, payload, e);
    }
    JsonLocation at = e.getLocation();
    int line = at == null ? 0 : Math.max(0, at.getLineNr());
    int column = at == null ? 0 : Math.max(0, at.getColumnNr());
    long offset = at == null ? -1 : at.getByteOffset();
    return new JsonMessageException(
        expected,
        problem(e),
        line,
        column,
        pathOf(e),
        Excerpts.around(payload, offset),
        e);
  }

  /** A failure to bind a tree already read, such as an event's fields. */
  static JsonMessageException binding(String expected, JsonProcessingException e, JsonNode tree) {
    return new JsonMessageException(
        expected,
        problem(e),
        0,
        0,
        pathOf(e),
        Excerpts.truncate(tree.toString(), Excerpts.WIDTH),
        e);
  }

  /** JSON that parsed but has the wrong shape, where no position is known. */
  static JsonMessageException shape(String expected, String problem, ByteBuffer payload) {
    return new JsonMessageException(
        expected, problem, 0, 0, "", Excerpts.around(payload, -1), null);
  }

  /** A tree that has the wrong shape, where no position is known. */
  static JsonMessageException shape(String expected, String problem, JsonNode tree) {
    return new JsonMessageException(
        expected, problem, 0, 0, "", Excerpts.truncate(tree.toString(), Excerpts.WIDTH), null);
  }

  /** A message with no JSON value in it: empty or only whitespace. */
  static JsonMessageException empty(String expected, ByteBuffer payload, Throwable cause) {
    // Point after the last character, where a value was still missing.
    ByteBuffer bytes = payload.duplicate();
    int line = 1;
    int column = 1;
    while (bytes.hasRemaining()) {
      if (bytes.get() == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    String problem =
        payload.hasRemaining() ? "the message holds only whitespace" : "the message is empty";
    return new JsonMessageException(
        expected, problem, line, column, "", Excerpts.around(payload, -1), cause);
  }

  /** What the reader wanted: a type's simple name, "JSON", or an event shape. */
  public String expected() {
    return expected;
  }

  /** The 1-based line of the error in the message, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The 1-based column of the error in its line, counted in bytes, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** The field path of the error, such as {@code $.players[2].hp}, or empty when unknown. */
  public String path() {
    return path;
  }

  /** A short, escaped piece of the message around the error, marked with … where cut. */
  public String excerpt() {
    return excerpt;
  }

  private static String format(
      String expected, String problem, int line, int column, String path, String excerpt) {
    StringBuilder s = new StringBuilder(160).append("expected ").append(expected);
    if (line > 0) {
      s.append(" at line ").append(line);
      if (column > 0) {
        s.append(", column ").append(column);
      }
    }
    if (!path.isEmpty()) {
      s.append(line > 0 ? ", " : " at ").append(path);
    }
    return s.append(": ").append(problem).append("; near: ").append(excerpt).toString();
  }

  private static String problem(JsonProcessingException e) {
    String original = e.getOriginalMessage();
    String text = original == null ? e.getClass().getSimpleName() : original;
    return Excerpts.truncate(text, Excerpts.PROBLEM_WIDTH);
  }

  private static String pathOf(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      return "";
    }
    List<JsonMappingException.Reference> references = mapping.getPath();
    if (references.isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return Excerpts.truncate(path.toString(), Excerpts.WIDTH);
  }

  static boolean isBlank(ByteBuffer payload) {
    ByteBuffer bytes = payload.duplicate();
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
