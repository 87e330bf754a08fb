package io.reactivews.client.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reactivews.core.json.Excerpts;
import java.time.Duration;

/**
 * The data of the Engine.IO v4 open packet ({@code 0{"sid":..,"upgrades":[],"pingInterval":..,
 * "pingTimeout":..,"maxPayload":..}}): the server pings every {@code pingInterval} and counts
 * us dead after {@code pingTimeout} without a pong, so we count it dead when no ping arrives
 * within their sum; {@code maxPayload} is the largest packet it accepts from us.
 *
 * <p>Immutable.
 */
record EngineHandshake(String sid, Duration pingInterval, Duration pingTimeout, long maxPayload) {

  /** How long after a ping (or the open packet) the next ping must have come. */
  Duration deadline() {
    return pingInterval.plus(pingTimeout);
  }

  /**
   * Parses the open packet's data.
   *
   * @throws SocketIoProtocolException when it is not a JSON object with a string {@code sid}
   *     and positive integers {@code pingInterval}, {@code pingTimeout} and {@code maxPayload}
   */
  static EngineHandshake parse(String json, ObjectMapper mapper) {
    JsonNode open;
    try {
      open = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SocketIoProtocolException(
          "Engine.IO open packet is not JSON: " + Excerpts.quoted(json), e);
    }
    if (open == null || !open.isObject()) {
      throw new SocketIoProtocolException(
          "Engine.IO open packet is not a JSON object: " + Excerpts.quoted(json));
    }
    JsonNode sid = open.get("sid");
    if (sid == null || !sid.isTextual() || sid.asText().isEmpty()) {
      throw new SocketIoProtocolException("Engine.IO open packet has no sid: " + Excerpts.quoted(json));
    }
    return new EngineHandshake(sid.asText(),
        Duration.ofMillis(positive(open, "pingInterval", json)),
        Duration.ofMillis(positive(open, "pingTimeout", json)),
        positive(open, "maxPayload", json));
  }

  private static long positive(JsonNode open, String field, String json) {
    JsonNode value = open.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()
        || value.asLong() <= 0) {
      throw new SocketIoProtocolException("Engine.IO open packet needs a positive integer "
          + field + ": " + Excerpts.quoted(json));
    }
    return value.asLong();
  }
}
