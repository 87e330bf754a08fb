package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reactivews.core.message.Message;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binary values to placeholders and binary frames, and back, including partial arrivals. */
class SocketIoAttachmentsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] ONE = {1, 2, 3};
  private static final byte[] TWO = {(byte) 0xca, (byte) 0xfe};

  @Test
  void binaryArgumentsBecomePlaceholdersInOrder() throws Exception {
    JsonNode data = MAPPER.createArrayNode().add("upload")
        .add(MAPPER.createObjectNode().put("name", "a").put("body", ONE))
        .add(MAPPER.createArrayNode().add(TWO));
    Attachments.Split split = Attachments.deconstruct(data);
    assertEquals(MAPPER.readTree("[\"upload\",{\"name\":\"a\",\"body\":"
        + "{\"_placeholder\":true,\"num\":0}},[{\"_placeholder\":true,\"num\":1}]]"),
        split.data());
    assertEquals(2, split.binaries().size());
    assertArrayEquals(ONE, split.binaries().get(0));
    assertArrayEquals(TWO, split.binaries().get(1));
    assertTrue(data.get(1).get("body").isBinary(), "the caller's tree is left alone");
  }

  @Test
  void reconstructionPutsTheBytesBack() throws Exception {
    JsonNode data = MAPPER.readTree("[\"f\",{\"_placeholder\":true,\"num\":1},"
        + "{\"in\":{\"_placeholder\":true,\"num\":0}}]");
    JsonNode whole = Attachments.reconstruct(data, List.of(ONE, TWO));
    assertArrayEquals(TWO, whole.get(1).binaryValue());
    assertArrayEquals(ONE, whole.get(2).get("in").binaryValue());
  }

  @Test
  void placeholderIndexOutOfRangeIsAProtocolError() throws Exception {
    for (String bad : new String[] {"2", "-1", "\"0\"", "0.5"}) {
      JsonNode data = MAPPER.readTree("[\"f\",{\"_placeholder\":true,\"num\":" + bad + "}]");
      SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
          () -> Attachments.reconstruct(data, List.of(ONE, TWO)), bad);
      assertTrue(e.getMessage().contains("points past the 2 attachment(s)"), e.getMessage());
    }
  }

  @Test
  void jacksonBindsByteArraysAndBuffersAsBinary() {
    SocketIoManager manager = SocketIoClient.create().manager("http://127.0.0.1:1");
    JsonNode args = manager.eventArgs("up", ONE, ByteBuffer.wrap(TWO),
        Map.of("nested", ONE));
    assertTrue(args.get(1).isBinary());
    assertTrue(args.get(2).isBinary());
    assertTrue(args.get(3).get("nested").isBinary());
    List<Message> frames = manager.encode(manager.packet(SocketIoPacket.Type.EVENT, "/admin", 4,
        args));
    assertEquals(List.of(
        Message.text("453-/admin,4[\"up\",{\"_placeholder\":true,\"num\":0},"
            + "{\"_placeholder\":true,\"num\":1},{\"nested\":{\"_placeholder\":true,\"num\":2}}]"),
        Message.binary(ONE), Message.binary(TWO), Message.binary(ONE)), frames);
  }

  @Test
  void aPacketWithoutBinariesStaysText() {
    SocketIoManager manager = SocketIoClient.create().manager("http://127.0.0.1:1");
    assertEquals(List.of(Message.text("42[\"hi\",1]")), manager.encode(manager.packet(
        SocketIoPacket.Type.EVENT, "/", SocketIoPacket.NO_ACK, manager.eventArgs("hi", 1))));
    assertEquals(List.of(Message.text("433[\"ok\"]")), manager.encode(manager.packet(
        SocketIoPacket.Type.ACK, "/", 3, manager.ackArgs("ok"))));
  }

  @Test
  void assemblerWaitsForEveryAnnouncedFrame() {
    PacketAssembler assembler = new PacketAssembler(new PacketCodec(MAPPER));
    assertNull(assembler.onText("52-[\"f\",{\"_placeholder\":true,\"num\":0},"
        + "{\"_placeholder\":true,\"num\":1}]"));
    assertTrue(assembler.isWaiting());
    assertNull(assembler.onBinary(ONE));
    SocketIoPacket whole = assembler.onBinary(TWO);
    assertFalse(assembler.isWaiting());
    assertEquals(SocketIoPacket.Type.BINARY_EVENT, whole.type());
    assertEquals("f", whole.data().get(0).asText());
    assertArrayEquals(ONE, binary(whole.data().get(1)));
    assertArrayEquals(TWO, binary(whole.data().get(2)));
  }

  @Test
  void binaryFrameWhenNoneExpectedIsAProtocolError() {
    PacketAssembler assembler = new PacketAssembler(new PacketCodec(MAPPER));
    SocketIoProtocolException e =
        assertThrows(SocketIoProtocolException.class, () -> assembler.onBinary(ONE));
    assertEquals("binary message of 3 bytes when no attachment was due", e.getMessage());
  }

  @Test
  void textPacketWhileAttachmentsOutstandingIsAProtocolError() {
    PacketAssembler assembler = new PacketAssembler(new PacketCodec(MAPPER));
    assembler.onText("62-7[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
    assembler.onBinary(ONE);
    SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class,
        () -> assembler.onText("2[\"x\"]"));
    assertTrue(e.getMessage().contains("while 1 attachment(s) of a BINARY_ACK were still due"),
        e.getMessage());
  }

  @Test
  void resetForgetsAHalfReceivedPacket() {
    PacketAssembler assembler = new PacketAssembler(new PacketCodec(MAPPER));
    assembler.onText("51-[\"f\",{\"_placeholder\":true,\"num\":0}]");
    assembler.reset();
    assertEquals(SocketIoPacket.Type.EVENT, assembler.onText("2[\"x\"]").type());
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
