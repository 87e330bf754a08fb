package io.reactivews.server;

import io.reactivews.testing.RawFrame;
import java.time.Duration;

/**
 * A server with no registry, run by {@link WithoutMicrometerTest} in a class loader that has no
 * Micrometer: it must bind, echo, refuse and shut down all the same.
 */
public final class NoMeterProgram {

  private NoMeterProgram() {}

  /** Echoes one message through a server and returns it; throws if anything fails. */
  public static String run() throws Exception {
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    try {
      try (RawClient refused = RawClient.connect(server.port())) {
        refused.write(io.reactivews.testing.RawHttp.upgradeRequest("/nowhere"));
        refused.readHead();
      }
      try (RawClient client = RawClient.open(server.port(), "/echo")) {
        client.sendText("no meters");
        RawFrame echoed = client.readFrame();
        client.sendClose(1000);
        client.readClose();
        return echoed.text();
      }
    } finally {
      server.shutdown(Duration.ofSeconds(5)).block();
    }
  }
}
