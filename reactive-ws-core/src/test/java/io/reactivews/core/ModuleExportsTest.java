package io.reactivews.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.testing.ModuleExports;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What applications may depend on is exactly what core exports to everyone; what only the server
 * and the client share is exported to them alone. A package added to either list is an API
 * decision: make it here, on purpose.
 */
class ModuleExportsTest {

  private static final Set<String> SERVER_AND_CLIENT =
      Set.of("io.reactivews.server", "io.reactivews.client");

  private final ModuleExports exports = ModuleExports.of(WebSocketException.class);

  @Test
  void applicationsSeeTheApiPackagesOnly() {
    assertEquals("io.reactivews.core", exports.module());
    assertEquals(Set.of(
        "io.reactivews.core",
        "io.reactivews.core.close",
        "io.reactivews.core.compression",
        "io.reactivews.core.handshake",
        "io.reactivews.core.json",
        "io.reactivews.core.limit",
        "io.reactivews.core.message",
        "io.reactivews.core.session"), exports.toAll());
  }

  @Test
  void sessionsZlibTransportsNettyAndMetersAreSharedWithTheServerAndClientOnly() {
    assertEquals(Map.of(
        "io.reactivews.core.deflate", SERVER_AND_CLIENT,
        "io.reactivews.core.internal", SERVER_AND_CLIENT,
        "io.reactivews.core.metrics", SERVER_AND_CLIENT,
        "io.reactivews.core.netty", SERVER_AND_CLIENT,
        "io.reactivews.core.transport", SERVER_AND_CLIENT), exports.qualified());
  }
}
