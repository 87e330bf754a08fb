package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.testing.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** Messages are immutable values: they copy what they are given and hand out copies or views. */
class MessageTest {

  @Test
  void textKeepsItsUtf8Bytes() {
    Message m = Message.text("wörld €");
    assertTrue(m.isText());
    assertFalse(m.isBinary());
    assertEquals(Message.Type.TEXT, m.type());
    assertEquals(Opcode.TEXT, m.opcode());
    assertEquals("wörld €", m.text());
    assertArrayEquals(Bytes.hex("77 c3 b6 72 6c 64 20 e2 82 ac"), m.bytes());
    assertEquals(10, m.size());
  }

  @Test
  void textFromUtf8BytesIsCheckedAndCopied() {
    byte[] utf8 = Bytes.hex("e2 82 ac");
    Message m = Message.textUtf8(utf8);
    utf8[0] = 0x41;
    assertEquals("€", m.text());
    assertThrows(IllegalArgumentException.class, () -> Message.textUtf8(Bytes.hex("ed a0 80")));
    assertThrows(IllegalArgumentException.class, () -> Message.textUtf8(Bytes.hex("e2 82")));
  }

  @Test
  void binaryCopiesItsInput() {
    byte[] bytes = Bytes.pattern(8);
    Message m = Message.binary(bytes);
    bytes[0] ^= 1;
    assertArrayEquals(Bytes.pattern(8), m.bytes());
    m.bytes()[1] ^= 1;
    assertArrayEquals(Bytes.pattern(8), m.bytes(), "bytes() hands out a copy");
    assertEquals(Opcode.BINARY, m.opcode());
  }

  @Test
  void binaryFromARangeOrABuffer() {
    byte[] bytes = Bytes.pattern(10);
    assertArrayEquals(
        java.util.Arrays.copyOfRange(bytes, 2, 5), Message.binary(bytes, 2, 3).bytes());
    assertThrows(IndexOutOfBoundsException.class, () -> Message.binary(bytes, 8, 3));
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.position(4);
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 4, 10), Message.binary(buffer).bytes());
    assertEquals(4, buffer.position(), "the buffer's position is kept");
  }

  @Test
  void payloadIsAReadOnlyView() {
    ByteBuffer view = Message.text("abc").payload();
    assertEquals(3, view.remaining());
    assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 0));
  }

  @Test
  void binaryReadAsTextReplacesBadSequences() {
    assertEquals("A\uFFFD", Message.binary(Bytes.hex("41 ff")).text());
  }

  @Test
  void equalityIsByTypeAndBytes() {
    assertEquals(Message.text("a"), Message.textUtf8(Bytes.utf8("a")));
    assertEquals(Message.text("a").hashCode(), Message.textUtf8(Bytes.utf8("a")).hashCode());
    assertNotEquals(Message.text("a"), Message.binary(Bytes.utf8("a")));
    assertNotEquals(Message.text("a"), Message.text("b"));
  }

  @Test
  void toStringShowsTypeAndShortText() {
    assertEquals("TEXT \"hi\"", Message.text("hi").toString());
    assertEquals("BINARY 3 bytes", Message.binary(new byte[3]).toString());
    assertEquals("TEXT \"" + "x".repeat(80) + "…\"", Message.text("x".repeat(81)).toString());
  }

  @Test
  void writeToCopiesThePayload() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Message.text("Hello").writeTo(out);
    assertArrayEquals(Bytes.utf8("Hello"), out.toByteArray());
  }

  @Test
  void encodesAsOneFinalFrame() {
    ByteBuf server = Message.text("Hello").encode(PooledByteBufAllocator.DEFAULT,
        FrameEncoder.forRole(Role.SERVER));
    ByteBuf client = Message.binary(Bytes.utf8("Hello")).encode(PooledByteBufAllocator.DEFAULT,
        FrameEncoder.masking(() -> 0x37fa213d));
    try {
      // RFC 6455 section 5.7 examples.
      assertEquals("81 05 48 65 6c 6c 6f", Bytes.toHex(ByteBufUtil.getBytes(server)));
      assertEquals("82 85 37 fa 21 3d 7f 9f 4d 51 58", Bytes.toHex(ByteBufUtil.getBytes(client)));
    } finally {
      server.release();
      client.release();
    }
  }

  @Test
  void aMessageOptedOutOfCompressionIsTheSameMessage() {
    Message image = Message.binary(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
    Message plain = image.withoutCompression();
    assertTrue(image.compressionAllowed());
    assertFalse(plain.compressionAllowed());
    assertEquals(image, plain);
    assertEquals(plain, image);
    assertEquals(image.hashCode(), plain.hashCode());
    assertTrue(plain == plain.withoutCompression(), "opting out twice changes nothing");
    assertEquals(image.payload(), plain.payload());
  }
}
