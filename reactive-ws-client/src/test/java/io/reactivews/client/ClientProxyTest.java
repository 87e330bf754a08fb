package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import io.reactivews.server.BoundServer;
import io.reactivews.server.WebSocketServer;
import io.reactivews.testing.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Through an HTTP CONNECT proxy (RFC 9110 section 9.3.6): a tiny one, written here. */
class ClientProxyTest {

  private BoundServer server;
  private ServerSocket proxy;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    proxy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::serveOneTunnel, "connect-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void theHandshakeAndFramesGoThroughTheTunnel() {
    WebSocketClient client = WebSocketClient.create()
        .proxy(ClientProxy.http("127.0.0.1", proxy.getLocalPort()).credentials("bot", "pw"));
    String echoed = client.connect("ws://127.0.0.1:" + server.port() + "/echo")
        .flatMap(session -> session.send(Mono.just(Message.text("via proxy")))
            .then(session.receive().next())
            .flatMap(m -> session.close().thenReturn(m.text())))
        .block(Duration.ofSeconds(10));
    assertEquals("via proxy", echoed);
    assertEquals(1, requests.size());
    String request = requests.get(0);
    assertTrue(request.startsWith("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1\r\n"), request);
    // Basic base64("bot:pw")
    assertTrue(request.contains("Basic Ym90OnB3"), request);
  }

  @Test
  void aHostTheBypassMatchesIsReachedDirectlyAndOthersThroughTheProxy() {
    ClientProxy proxied = ClientProxy.http("127.0.0.1", proxy.getLocalPort());
    String direct = echo(WebSocketClient.create().proxy(proxied.bypass("localhost|127\\..*")),
        "ws://127.0.0.1:" + server.port() + "/echo");
    assertEquals("hi", direct);
    assertEquals(List.of(), requests, "the proxy was not asked");
    String tunnelled = echo(WebSocketClient.create().proxy(proxied.bypass("localhost")),
        "ws://127.0.0.1:" + server.port() + "/echo");
    assertEquals("hi", tunnelled);
    assertEquals(1, requests.size(), "a host the bypass does not match goes through it");
    assertTrue(proxied.bypass("localhost").toString().endsWith("not for localhost"));
  }

  private static String echo(WebSocketClient client, String url) {
    return client.connect(url)
        .flatMap(session -> session.send(Mono.just(Message.text("hi")))
            .then(session.receive().next())
            .flatMap(m -> session.close().thenReturn(m.text())))
        .block(Duration.ofSeconds(10));
  }

  @Test
  void aProxysRefusalOfAnEncryptedTunnelIsReportedAsTheProxysNotAsATlsFailure()
      throws Exception {
    try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread answer = new Thread(() -> {
        try (Socket client = refusing.accept()) {
          RawHttp.readHead(client.getInputStream());
          client.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
              + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          client.getOutputStream().flush();
          client.getInputStream().read(); // until the client lets go
        } catch (IOException e) {
          // the client closed first
        }
      }, "refusing-proxy");
      answer.setDaemon(true);
      answer.start();
      WebSocketClient client = WebSocketClient.create()
          .proxy(ClientProxy.http("127.0.0.1", refusing.getLocalPort()));
      Throwable failure = client.connect("wss://localhost:" + server.port() + "/echo")
          .materialize().block(Duration.ofSeconds(10)).getThrowable();
      assertTrue(failure != null && failure.getClass().getName().endsWith("ProxyConnectException")
          && failure.getMessage().contains("407"), String.valueOf(failure));
    }
  }

  /** Accepts one client, answers its CONNECT, and copies bytes both ways until either ends. */
  private void serveOneTunnel() {
    try (Socket client = proxy.accept()) {
      String head = RawHttp.readHead(client.getInputStream());
      requests.add(head);
      String target = head.substring("CONNECT ".length(), head.indexOf(" HTTP/1.1"));
      int colon = target.lastIndexOf(':');
      try (Socket upstream = new Socket(target.substring(0, colon),
          Integer.parseInt(target.substring(colon + 1)))) {
        OutputStream out = client.getOutputStream();
        out.write("HTTP/1.1 200 Connection established\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Thread back = new Thread(() -> copy(upstream, client), "connect-proxy-back");
        back.setDaemon(true);
        back.start();
        copy(client, upstream);
        back.join(5000);
      }
    } catch (IOException | InterruptedException e) {
      // the test fails on its own if the tunnel broke
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }
}
