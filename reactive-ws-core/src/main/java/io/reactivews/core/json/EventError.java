package io.reactivews.core.json;

import io.reactivews.core.message.Message;
import java.util.Objects;
import java.util.Optional;

/**
 * Something an {@link EventRouter} could not do with one incoming message: what went wrong, the
 * message, its event type when known, and the exception when there is one. Reported to the
 * router's error handler; the stream goes on with the next message. Immutable.
 */
public final class EventError {

  /** What went wrong, in the order the router meets it. */
  public enum Kind {
    /** The message is not JSON (or is empty); the cause is a {@link JsonMessageException}. */
    MALFORMED_JSON,
    /** JSON, but not an object with a string type field; the cause says which. */
    MISSING_TYPE,
    /** No handler for the type and no {@code otherwise} handler; there is no cause. */
    UNKNOWN_TYPE,
    /** The event's fields do not bind to the handler's class; the cause gives the field path. */
    UNBOUND_PAYLOAD,
    /** The handler threw, returned null, or its publisher failed; replies before it were sent. */
    HANDLER_FAILED,
    /** A reply could not be written, or could not carry the request's correlation id. */
    BAD_REPLY
  }

  private final Kind kind;
  private final Message message;
  private final String type;
  private final Throwable cause;

  EventError(Kind kind, Message message, String type, Throwable cause) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.message = Objects.requireNonNull(message, "message");
    this.type = type;
    this.cause = cause;
  }

  public Kind kind() {
    return kind;
  }

  /** The incoming message the error is about. */
  public Message message() {
    return message;
  }

  /** The event type, when the message got far enough to have one. */
  public Optional<String> type() {
    return Optional.ofNullable(type);
  }

  /** The exception behind the error; empty for {@link Kind#UNKNOWN_TYPE}. */
  public Optional<Throwable> cause() {
    return Optional.ofNullable(cause);
  }

  /** One line for a log: kind, type, and the cause's message (already bounded for JSON errors). */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(kind.name());
    if (type != null) {
      s.append(" \"").append(Excerpts.truncate(type, 64)).append('"');
    }
    if (cause != null) {
      String detail = cause.getMessage();
      s.append(": ").append(cause.getClass().getSimpleName());
      if (detail != null) {
        s.append(": ").append(Excerpts.truncate(detail, 400));
      }
    } else if (kind == Kind.UNKNOWN_TYPE) {
      s.append(": no handler for this type");
    }
    return s.toString();
  }
}
