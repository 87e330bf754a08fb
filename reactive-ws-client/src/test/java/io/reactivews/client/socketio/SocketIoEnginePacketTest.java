package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reactivews.core.message.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Engine.IO v4 packets on the WebSocket transport, and the open packet's handshake data. */
class SocketIoEnginePacketTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void textMessagesCarryTheTypeDigitFirst() {
    assertEquals(EnginePacket.Type.PING, EnginePacket.decode(Message.text("2")).type());
    assertEquals(EnginePacket.Type.CLOSE, EnginePacket.decode(Message.text("1")).type());
    assertEquals(EnginePacket.Type.NOOP, EnginePacket.decode(Message.text("6")).type());
    EnginePacket message = EnginePacket.decode(Message.text("42[\"hi\"]"));
    assertEquals(EnginePacket.Type.MESSAGE, message.type());
    assertEquals("2[\"hi\"]", message.text());
  }

  @Test
  void binaryMessagesAreRawAttachmentBytes() {
    // 01 02 ff: no type prefix on the WebSocket transport
    EnginePacket packet = EnginePacket.decode(Message.binary(new byte[] {1, 2, (byte) 0xff}));
    assertTrue(packet.isBinary());
    assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, packet.binary());
    assertEquals(Message.binary(new byte[] {1, 2, (byte) 0xff}), packet.encode());
  }

  @Test
  void pongIsTheDigitThree() {
    assertEquals(Message.text("3"), EnginePacket.PONG.encode());
    assertEquals(Message.text("4hello"), EnginePacket.message("hello").encode());
  }

  @Test
  void unknownTypeDigitIsAProtocolError() {
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
        () -> EnginePacket.decode(Message.text("9oops")));
    assertTrue(e.getMessage().contains("unknown Engine.IO packet type '9'"), e.getMessage());
    assertThrows(SocketIoProtocolException.class, () -> EnginePacket.decode(Message.text("x")));
  }

  @Test
  void emptyTextIsAProtocolError() {
    assertThrows(SocketIoProtocolException.class, () -> EnginePacket.decode(Message.text("")));
  }

  @Test
  void openPacketGivesTheTimersAndLimit() {
    EngineHandshake open = EngineHandshake.parse("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\","
        + "\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
        MAPPER);
    assertEquals("lv_VI97HAXpY6yYWAAAC", open.sid());
    assertEquals(Duration.ofMillis(25000), open.pingInterval());
    assertEquals(Duration.ofMillis(20000), open.pingTimeout());
    assertEquals(Duration.ofMillis(45000), open.deadline());
    assertEquals(1_000_000, open.maxPayload());
  }

  @Test
  void openPacketMissingAFieldIsAProtocolError() {
    String[] broken = {
        "{\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1}",
        "{\"sid\":\"a\",\"pingTimeout\":20000,\"maxPayload\":1}",
        "{\"sid\":\"a\",\"pingInterval\":25000,\"maxPayload\":1}",
        "{\"sid\":\"a\",\"pingInterval\":25000,\"pingTimeout\":20000}",
        "{\"sid\":\"a\",\"pingInterval\":\"25000\",\"pingTimeout\":20000,\"maxPayload\":1}",
        "{\"sid\":\"a\",\"pingInterval\":0,\"pingTimeout\":20000,\"maxPayload\":1}",
        "{\"sid\":\"a\",\"pingInterval\":2.5,\"pingTimeout\":20000,\"maxPayload\":1}",
        "{\"sid\":7,\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1}",
        "[1,2]",
        "",
        "{\"sid\":",
    };
    for (String json : broken) {
      SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
          () -> EngineHandshake.parse(json, MAPPER), json);
      assertTrue(e.getMessage().startsWith("Engine.IO open packet"), e.getMessage());
    }
  }
}
