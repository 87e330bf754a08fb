package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The text form of Socket.IO v5 packets: {@code <type>[<n>-][<nsp>,][<id>][json]}. */
class SocketIoPacketCodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final PacketCodec codec = new PacketCodec(MAPPER);

  @Test
  void connectToTheMainNamespaceIsTheDigitAlone() {
    SocketIoPacket packet = codec.decode("0");
    assertEquals(SocketIoPacket.Type.CONNECT, packet.type());
    assertEquals("/", packet.namespace());
    assertNull(packet.data());
    assertEquals("0", codec.encode(packet));
  }

  @Test
  void connectCarriesNamespaceAndAuth() throws Exception {
    SocketIoPacket packet = SocketIoPacket.of(SocketIoPacket.Type.CONNECT, "/admin",
        MAPPER.readTree("{\"token\":\"secret\"}"));
    assertEquals("0/admin,{\"token\":\"secret\"}", codec.encode(packet));
    assertEquals(packet, codec.decode("0/admin,{\"token\":\"secret\"}"));
  }

  @Test
  void eventWithNamespaceAndAckId() throws Exception {
    SocketIoPacket packet = codec.decode("2/admin,12[\"move\",{\"x\":1}]");
    assertEquals(SocketIoPacket.Type.EVENT, packet.type());
    assertEquals("/admin", packet.namespace());
    assertEquals(12, packet.ackId());
    assertEquals(MAPPER.readTree("[\"move\",{\"x\":1}]"), packet.data());
    assertEquals("2/admin,12[\"move\",{\"x\":1}]", codec.encode(packet));
  }

  @Test
  void ackOnTheMainNamespace() throws Exception {
    SocketIoPacket packet = codec.decode("313[\"ok\"]");
    assertEquals(SocketIoPacket.Type.ACK, packet.type());
    assertEquals(13, packet.ackId());
    assertEquals(MAPPER.readTree("[\"ok\"]"), packet.data());
  }

  @Test
  void binaryEventAnnouncesItsAttachments() {
    SocketIoPacket packet =
        codec.decode("52-/admin,[\"file\",{\"_placeholder\":true,\"num\":0},"
            + "{\"_placeholder\":true,\"num\":1}]");
    assertEquals(SocketIoPacket.Type.BINARY_EVENT, packet.type());
    assertEquals(2, packet.attachments());
    assertEquals("/admin", packet.namespace());
    assertEquals("52-/admin,[\"file\",{\"_placeholder\":true,\"num\":0},"
        + "{\"_placeholder\":true,\"num\":1}]", codec.encode(packet));
  }

  @Test
  void connectErrorCarriesMessageAndData() {
    SocketIoPacket packet =
        codec.decode("4/admin,{\"message\":\"bad token\",\"data\":{\"reason\":\"token\"}}");
    assertEquals(SocketIoPacket.Type.CONNECT_ERROR, packet.type());
    assertEquals("bad token", packet.data().path("message").asText());
  }

  @Test
  void disconnectHasNoPayload() {
    assertEquals(SocketIoPacket.Type.DISCONNECT, codec.decode("1/admin,").type());
    assertEquals("/admin", codec.decode("1/admin,").namespace());
    assertEquals("/admin", codec.decode("1/admin").namespace());
  }

  @Test
  void badTypeDigitIsAProtocolError() {
    assertError("unknown Socket.IO packet type '7'", "7[\"x\"]");
    assertError("unknown Socket.IO packet type 'a'", "a");
    assertError("empty Socket.IO packet", "");
  }

  @Test
  void badJsonIsAProtocolError() {
    assertError("Socket.IO packet data is not JSON", "2[\"move\",");
    assertError("Socket.IO packet data is not JSON", "2/admin,{nope}");
  }

  @Test
  void badAttachmentCountIsAProtocolError() {
    assertError("without an attachment count", "5[\"x\",{\"_placeholder\":true,\"num\":0}]");
    assertError("attachment count is not a number", "5x-[\"x\"]");
    assertError("attachment count is not a number", "5-[\"x\"]");
    assertError("attachment count 0 is not between", "50-[\"x\"]");
    assertError("attachment count is not a number", "599999-[\"x\"]");
  }

  @Test
  void payloadsTheTypeDoesNotAllowAreProtocolErrors() {
    assertError("EVENT with a payload", "2");
    assertError("EVENT with a payload", "2[]");
    assertError("EVENT with a payload", "2[1,2]");
    assertError("EVENT with a payload", "2{\"a\":1}");
    assertError("ACK with a payload", "3[\"no id\"]");
    assertError("ACK with a payload", "37");
    assertError("DISCONNECT with a payload", "1[\"x\"]");
    assertError("CONNECT with a payload", "0[\"x\"]");
    assertError("CONNECT_ERROR with a payload", "4");
  }

  @Test
  void overlongAckIdIsAProtocolError() {
    assertError("acknowledgement id too long", "31234567890123456[\"x\"]");
  }

  private void assertError(String expected, String text) {
    SocketIoProtocolException e =
        assertThrows(SocketIoProtocolException.class, () -> codec.decode(text), text);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
