package io.reactivews.examples;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.server.Broadcast;
import io.reactivews.server.Route;
import io.reactivews.server.StaticPage;
import io.reactivews.server.WebSocketServer;
import java.nio.charset.StandardCharsets;

/**
 * The example servers' {@code --metrics}: the server records into a Prometheus registry of its
 * own, and serves its scrape as text at {@code /metrics} on the same port. Off, it changes
 * nothing.
 *
 * <pre>{@code
 * PrometheusMetrics metrics = PrometheusMetrics.option(args);
 * BoundServer server = metrics.apply(WebSocketServer.create().route("/chat", chat)).bindNow();
 * // curl http://127.0.0.1:8080/metrics
 * }</pre>
 */
public final class PrometheusMetrics {

  /** The flag, which takes no value. */
  public static final String FLAG = "metrics";

  /** Where the scrape is served. */
  public static final String PATH = "/metrics";

  /** What {@code --help} says about it. */
  public static final String USAGE =
      "--metrics also serves Prometheus text at /metrics on the same port.";

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private static final PrometheusMetrics OFF = new PrometheusMetrics(null);

  /** Null when off. */
  private final PrometheusMeterRegistry registry;

  private PrometheusMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** On if {@code --metrics} was given. */
  public static PrometheusMetrics option(Args args) {
    return args.has(FLAG) ? on() : OFF;
  }

  /** Metrics into a new Prometheus registry. */
  public static PrometheusMetrics on() {
    return new PrometheusMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public static PrometheusMetrics off() {
    return OFF;
  }

  public boolean isOn() {
    return registry != null;
  }

  /** The server's meters go to the registry, whose scrape is served at {@code /metrics}. */
  public WebSocketServer apply(WebSocketServer spec) {
    if (registry == null) {
      return spec;
    }
    // A WebSocket on /metrics has nothing to say: it is closed at once.
    Route scrape = Route.exact(PATH, session -> session.close(
            CloseStatus.of(1008, "/metrics is a page, not a WebSocket endpoint")))
        .page(StaticPage.generated(TEXT_FORMAT,
            () -> registry.scrape().getBytes(StandardCharsets.UTF_8)));
    return spec.metrics(registry).route(scrape);
  }

  /** The broadcast's meters go to the registry too, tagged with {@code name}. */
  public Broadcast apply(Broadcast broadcast, String name) {
    return registry == null ? broadcast : broadcast.metrics(registry, name);
  }

  /** A line for the banner: where the scrape is, or nothing. */
  public String banner(String host, int port) {
    return registry == null ? "" : "\nmetrics: http://" + host + ":" + port + PATH;
  }
}
