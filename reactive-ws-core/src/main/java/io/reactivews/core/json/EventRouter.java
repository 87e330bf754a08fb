package io.reactivews.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reactivews.core.json.EventError.Kind;
import io.reactivews.core.message.Message;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Loggers;

/**
 * Dispatches typed JSON events to handlers by their type field and turns what the handlers
 * return into reply messages: {@code Flux<Message> -> Flux<Message>}, so a whole server is
 *
 * <pre>{@code
 * EventRouter router = EventRouter.create(json)
 *     .on("player_death", PlayerDeath.class, death -> scores.record(death))   // Mono<Void>
 *     .on("ping", Ping.class, ping -> Mono.just(json.toEvent("pong", new Pong(ping.t()))))
 *     .onError(error -> metrics.badEvent(error.kind()));
 * server.handle(session -> session.send(session.receive().transform(router)));
 * }</pre>
 *
 * <p>Replies: each value a handler's publisher emits becomes one message. A {@link Message} is
 * sent unchanged; a {@link JsonEvent} keeps its type field first; anything else is written as
 * plain JSON. Return {@code Mono.empty()} for no reply.
 *
 * <p>Correlation: when an incoming event has a non-null correlation field ({@code "id"} unless
 * {@linkplain #correlationField configured}), every reply written by the router carries the same
 * value, right after the type field. Such a reply must therefore be a JSON object, and one that
 * already has that field must hold the same value: the field is reserved for correlation, so
 * payloads that use {@code id} for something else need another name here. Replies given as
 * {@link Message}s are the handler's business and are not touched.
 *
 * <p>Failures never end the stream: malformed JSON, a missing or non-string type, an unknown type
 * (without an {@linkplain #otherwise otherwise} handler), fields that do not bind, a handler that
 * throws or whose publisher fails, and replies that cannot be written are each reported as an
 * {@link EventError} and the router reads the next message. By default errors are logged as one
 * bounded warning line. An error handler that throws ends the stream with what it threw, which is
 * how an application chooses to close the session, for example with a {@code
 * WebSocketException.invalidPayload(...)} (1007).
 *
 * <p>Order: one message at a time, in order, so replies never interleave and handlers of one
 * session never run concurrently; a handler that never completes stalls the session. Handlers
 * that should overlap can do their own {@code flatMap} over a shared sink. Handlers and the error
 * handler run on the thread that delivered the message, unless their publishers move elsewhere.
 *
 * <p>Demand: nothing is read before the first request. Then the next message is read as soon as
 * the current handler's publisher completes, whatever the downstream demand: replies wait for
 * demand inside their publisher, so at most one message is read ahead of a slow consumer, while
 * messages whose handlers reply nothing (or are skipped as errors) never wait for demand they do
 * not need.
 *
 * <p>Immutable and thread-safe: every setter returns a copy, so one router serves all sessions.
 */
public final class EventRouter implements Function<Flux<Message>, Flux<Message>> {

  /** The field that correlates a request with its replies unless configured otherwise. */
  public static final String DEFAULT_CORRELATION_FIELD = "id";

  private static final Consumer<EventError> LOG =
      // Looked up on use: errors are rare and tests may swap the logger factory.
      error -> Loggers.getLogger(EventRouter.class).warn("skipped an event: {}", error);

  private final JsonCodec codec;
  private final Map<String, Route<?>> routes;
  private final Function<? super JsonEvent, ? extends Publisher<?>> otherwise;
  private final Consumer<? super EventError> onError;
  private final String correlationField;

  private EventRouter(
      JsonCodec codec,
      Map<String, Route<?>> routes,
      Function<? super JsonEvent, ? extends Publisher<?>> otherwise,
      Consumer<? super EventError> onError,
      String correlationField) {
    this.codec = codec;
    this.routes = routes;
    this.otherwise = otherwise;
    this.onError = onError;
    this.correlationField = correlationField;
  }

  /** A router with no handlers that reads and writes with {@code codec}. */
  public static EventRouter create(JsonCodec codec) {
    Objects.requireNonNull(codec, "codec");
    return new EventRouter(codec, Map.of(), null, LOG, DEFAULT_CORRELATION_FIELD);
  }

  /**
   * A copy that hands events of {@code type}, bound to {@code payloadType}, to {@code handler}.
   * Give {@code JsonEvent.class} to receive the event itself.
   *
   * @throws IllegalArgumentException if {@code type} already has a handler
   */
  public <T> EventRouter on(
      String type, Class<T> payloadType, Function<? super T, ? extends Publisher<?>> handler) {
    Objects.requireNonNull(type, "type");
    if (routes.containsKey(type)) {
      throw new IllegalArgumentException("\"" + type + "\" already has a handler");
    }
    Route<T> route =
        new Route<>(
            Objects.requireNonNull(payloadType, "payloadType"),
            Objects.requireNonNull(handler, "handler"));
    Map<String, Route<?>> more = new LinkedHashMap<>(routes);
    more.put(type, route);
    return new EventRouter(
        codec, Collections.unmodifiableMap(more), otherwise, onError, correlationField);
  }

  /** A copy that hands events of types with no handler to {@code handler}. */
  public EventRouter otherwise(Function<? super JsonEvent, ? extends Publisher<?>> handler) {
    return new EventRouter(
        codec, routes, Objects.requireNonNull(handler, "handler"), onError, correlationField);
  }

  /** A copy that reports each {@link EventError} to {@code handler} instead of logging it. */
  public EventRouter onError(Consumer<? super EventError> handler) {
    return new EventRouter(
        codec, routes, otherwise, Objects.requireNonNull(handler, "handler"), correlationField);
  }

  /**
   * A copy that correlates requests and replies through the field {@code name}.
   *
   * @throws IllegalArgumentException if {@code name} is empty or is the codec's type field
   */
  public EventRouter correlationField(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.equals(codec.typeField())) {
      throw new IllegalArgumentException(
          "the correlation field needs a name other than the type field: \"" + name + "\"");
    }
    return new EventRouter(codec, routes, otherwise, onError, name);
  }

  /** A copy that leaves replies as the handlers made them. */
  public EventRouter withoutCorrelation() {
    return new EventRouter(codec, routes, otherwise, onError, null);
  }

  /** The types that have a handler, in the order they were added. */
  public Set<String> types() {
    return routes.keySet();
  }

  @Override
  public Flux<Message> apply(Flux<Message> messages) {
    // Prefetch 0: read the next message only when this one's replies are done.
    return messages.concatMap(this::dispatch, 0);
  }

  private Publisher<Message> dispatch(Message message) {
    JsonNode tree;
    try {
      tree = codec.tree(message);
    } catch (JsonMessageException e) {
      return report(Kind.MALFORMED_JSON, message, null, e);
    }
    JsonEvent event;
    try {
      event = codec.eventOf(message, tree);
    } catch (JsonMessageException e) {
      return report(Kind.MISSING_TYPE, message, null, e);
    }
    String type = event.type();
    Route<?> route = routes.get(type);
    Object payload = event;
    if (route != null) {
      try {
        payload = route.bind(event);
      } catch (JsonMessageException e) {
        return report(Kind.UNBOUND_PAYLOAD, message, type, e);
      }
    } else if (otherwise == null) {
      return report(Kind.UNKNOWN_TYPE, message, type, null);
    }
    Publisher<?> replies;
    try {
      replies = route != null ? route.call(payload) : otherwise.apply(event);
      Objects.requireNonNull(replies, "the handler returned null instead of a publisher");
    } catch (Throwable t) {
      Exceptions.throwIfJvmFatal(t);
      return report(Kind.HANDLER_FAILED, message, type, t);
    }
    JsonNode id = correlationId(event);
    return Flux.<Object>from(replies)
        .onErrorResume(t -> report(Kind.HANDLER_FAILED, message, type, t))
        .handle(
            (reply, sink) -> {
              Message out;
              try {
                out = toMessage(reply, id);
              } catch (IllegalArgumentException e) {
                onError.accept(new EventError(Kind.BAD_REPLY, message, type, e));
                return;
              }
              sink.next(out);
            });
  }

  private <T> Mono<T> report(Kind kind, Message message, String type, Throwable cause) {
    onError.accept(new EventError(kind, message, type, cause));
    return Mono.empty();
  }

  private JsonNode correlationId(JsonEvent event) {
    if (correlationField == null) {
      return null;
    }
    JsonNode id = event.tree().get(correlationField);
    return id == null || id.isNull() ? null : id;
  }

  private Message toMessage(Object reply, JsonNode id) {
    if (reply instanceof Message message) {
      return message;
    }
    if (id == null) {
      return codec.encode(reply);
    }
    JsonNode tree = reply instanceof JsonEvent event ? event.tree() : codec.toTree(reply);
    if (!(tree instanceof ObjectNode body)) {
      throw new IllegalArgumentException(
          "a reply to a request with \""
              + correlationField
              + "\" must be a JSON object to carry it, but "
              + reply.getClass().getName()
              + " is written as "
              + tree.getNodeType());
    }
    JsonNode own = body.get(correlationField);
    if (own != null && !own.equals(id)) {
      throw new IllegalArgumentException(
          "the reply has its own \""
              + correlationField
              + "\" "
              + Excerpts.truncate(own.toString(), 32)
              + ", not the request's "
              + Excerpts.truncate(id.toString(), 32));
    }
    String typeField = codec.typeField();
    ObjectNode out = codec.newObject();
    JsonNode type = body.get(typeField);
    if (type != null) {
      out.set(typeField, type);
    }
    out.set(correlationField, id);
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String name = field.getKey();
      if (!name.equals(typeField) && !name.equals(correlationField)) {
        out.set(name, field.getValue());
      }
    }
    return codec.encode(out);
  }

  @Override
  public String toString() {
    return "EventRouter" + routes.keySet();
  }

  /** One type's binding and handler, kept together so their types agree. */
  private static final class Route<T> {

    private final Class<T> payloadType;
    private final Function<? super T, ? extends Publisher<?>> handler;

    Route(Class<T> payloadType, Function<? super T, ? extends Publisher<?>> handler) {
      this.payloadType = payloadType;
      this.handler = handler;
    }

    T bind(JsonEvent event) {
      return payloadType == JsonEvent.class ? payloadType.cast(event) : event.as(payloadType);
    }

    Publisher<?> call(Object payload) {
      return handler.apply(payloadType.cast(payload));
    }
  }
}
