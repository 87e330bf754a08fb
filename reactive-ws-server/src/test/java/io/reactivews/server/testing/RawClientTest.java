package io.reactivews.server.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.RawFrame;
import io.reactivews.testing.ScriptedServer;
import io.reactivews.testing.conformance.PeerConnection;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The raw client against a {@link ScriptedServer}: handshake, exact writes, reads and endings. */
class RawClientTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void writesExactlyTheEncodedFramesEvenWhenChopped() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (RawClient client = RawClient.connect(server.address(), "/x");
          ScriptedServer.Peer peer = server.await(accepted)) {
        assertTrue(client.handshakeResponse().startsWith("HTTP/1.1 101"));
        client.sendChopped(1, Duration.ZERO, RawFrame.text("Hello").masked(0x37fa213d));
        client.send(RawFrame.ping(new byte[0]).unmasked().rsv(2));
        byte[] got = new byte[13];
        new DataInputStream(peer.socket().getInputStream()).readFully(got);
        assertArrayEquals(hex("81 85 37fa213d 7f9f4d5158 a9 00"), got);
      }
    }
  }

  @Test
  void readsFramesOfEveryLengthFormAndNotesMasks() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (RawClient client = RawClient.connect(server.address(), "/");
          ScriptedServer.Peer peer = server.await(accepted)) {
        peer.writeHex("01 05 48656c6c6f"); // unmasked "Hello", FIN clear
        peer.writeHex("82 7e 0100");
        peer.write(new byte[256]);
        peer.writeHex("82 7f 0000000000010000");
        peer.write(new byte[65536]);
        peer.writeHex("89 85 37fa213d 7f9f4d5158"); // masked ping
        RawFrame first = client.nextFrame(WAIT);
        assertFalse(first.fin());
        assertFalse(first.isMasked());
        assertArrayEquals("Hello".getBytes(), first.payload());
        assertEquals(256, client.nextFrame(WAIT).payloadLength());
        assertEquals(65536, client.nextFrame(WAIT).payloadLength());
        RawFrame masked = client.nextFrame(WAIT);
        assertTrue(masked.isMasked());
        assertEquals(RawFrame.PING, masked.opcode());
        assertArrayEquals("Hello".getBytes(), masked.payload());
        assertNull(client.poll(Duration.ofMillis(50)));
      }
    }
  }

  @Test
  void reportsAnOrderlyEnd() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (RawClient client = RawClient.connect(server.address(), "/");
          ScriptedServer.Peer peer = server.await(accepted)) {
        peer.socket().shutdownOutput();
        assertEquals(PeerConnection.EndKind.EOF, client.awaitEnd(WAIT).kind());
        assertEquals(PeerConnection.EndKind.EOF, client.ended().kind());
      }
    }
  }

  @Test
  void reportsAStreamCutInsideAFrame() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (RawClient client = RawClient.connect(server.address(), "/");
          ScriptedServer.Peer peer = server.await(accepted)) {
        peer.writeHex("81 05 4865");
        peer.socket().shutdownOutput();
        assertEquals(PeerConnection.EndKind.TRUNCATED, client.awaitEnd(WAIT).kind());
      }
    }
  }

  @Test
  void reportsAReset() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (RawClient client = RawClient.connect(server.address(), "/")) {
        ScriptedServer.Peer peer = server.await(accepted);
        peer.socket().setSoLinger(true, 0); // close with RST
        peer.close();
        assertEquals(PeerConnection.EndKind.RESET, client.awaitEnd(WAIT).kind());
      }
    }
  }

  @Test
  void refusesAWrongAcceptValue() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted =
          server.upgradeAsync("d3JvbmcgYWNjZXB0IHZhbHVlIQ==");
      IOException e = assertThrows(IOException.class,
          () -> RawClient.connect(server.address(), "/"));
      assertTrue(e.getMessage().contains("Sec-WebSocket-Accept"), e.getMessage());
      server.await(accepted).close();
    }
  }

  @Test
  void nextFrameFailsWhenNothingComes() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (RawClient client = RawClient.connect(server.address(), "/")) {
        ScriptedServer.Peer peer = server.await(accepted); // connected and silent
        AssertionError e = assertThrows(AssertionError.class,
            () -> client.nextFrame(Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("no frame within 50 ms"), e.getMessage());
        peer.close();
      }
    }
  }
}
