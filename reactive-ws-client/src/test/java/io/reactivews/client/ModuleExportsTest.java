package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.testing.ModuleExports;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client exports its API packages, WebSocket and Socket.IO, and nothing else. */
class ModuleExportsTest {

  @Test
  void onlyTheApiPackagesAreExported() {
    ModuleExports exports = ModuleExports.of(WebSocketClient.class);
    assertEquals("io.reactivews.client", exports.module());
    assertEquals(Set.of("io.reactivews.client", "io.reactivews.client.socketio"),
        exports.toAll());
    assertEquals(Map.of(), exports.qualified());
  }
}
