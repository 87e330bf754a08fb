package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.testing.ModuleExports;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The server exports its API packages (server, cluster SPI, Redis bus) and nothing else. */
class ModuleExportsTest {

  @Test
  void onlyTheApiPackageIsExported() {
    ModuleExports exports = ModuleExports.of(WebSocketServer.class);
    assertEquals("io.reactivews.server", exports.module());
    assertEquals(Set.of("io.reactivews.server", "io.reactivews.server.cluster",
        "io.reactivews.server.cluster.redis"), exports.toAll());
    assertEquals(Map.of(), exports.qualified());
  }
}
