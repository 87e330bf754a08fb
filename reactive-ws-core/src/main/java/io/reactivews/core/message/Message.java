package io.reactivews.core.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.PooledMessages;
import io.reactivews.core.internal.PreparedMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A whole WebSocket message: text or binary, immutable. Keep it, share it across threads,
 * broadcast it to a thousand sessions: it holds a plain byte array that nobody can change, so
 * there is nothing to release.
 *
 * <p>Text messages keep their UTF-8 bytes (what goes on the wire) and decode to a {@code String}
 * on first use of {@link #text()}.
 *
 * <pre>{@code
 * Message hello = Message.text("{\"type\":\"hello\"}");
 * Message blob = Message.binary(bytes);          // copies bytes
 * String s = received.text();
 * }</pre>
 */
public sealed class Message {

  static {
    PooledMessages.register(m -> m instanceof Pooled pooled ? pooled.frame : null);
  }

  /** What kind of data frame carries the message. */
  public enum Type {
    TEXT,
    BINARY
  }

  private final Type type;
  private final byte[] bytes;
  private String text;

  private Message(Type type, byte[] bytes, String text) {
    this.type = type;
    this.bytes = bytes;
    this.text = text;
  }

  /**
   * A message opted out of compression. A subclass rather than a flag, so that every other
   * message stays three fields (24 bytes) on the hot path.
   */
  private static final class NeverCompressed extends Message {
    NeverCompressed(Message m) {
      super(m.type, m.bytes, m.text);
    }
  }

  /**
   * A received message still in its pooled network buffer, on its way from a session's decoder
   * straight to a {@code send()} that takes it (see {@link PooledMessages}): never handed to an
   * application. Its frame's one reference goes with it. Should one be read all the same, it
   * reads as a copy, while the reference is held.
   */
  private static final class Pooled extends Message {
    private final PreparedMessage frame;

    Pooled(Type type, PreparedMessage frame) {
      super(type, null, null);
      this.frame = frame;
    }

    private Message copy() {
      return frame.message();
    }

    @Override
    public int size() {
      return frame.size();
    }

    @Override
    public Message withoutCompression() {
      return copy().withoutCompression();
    }

    @Override
    public String text() {
      return copy().text();
    }

    @Override
    public byte[] bytes() {
      return copy().bytes;
    }

    @Override
    public ByteBuffer payload() {
      return copy().payload();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      copy().writeTo(out);
    }

    @Override
    public ByteBuf encode(ByteBufAllocator alloc, FrameEncoder encoder) {
      return copy().encode(alloc, encoder);
    }

    @Override
    public boolean equals(Object o) {
      return copy().equals(o);
    }

    @Override
    public int hashCode() {
      return copy().hashCode();
    }

    @Override
    public String toString() {
      return copy().toString();
    }
  }

  /** A received message in the pooled frame {@code frame}, whose reference it takes. */
  static Message pooled(Type type, PreparedMessage frame) {
    return new Pooled(type, frame);
  }

  /** A text message. */
  public static Message text(CharSequence text) {
    String s = text.toString();
    return new Message(Type.TEXT, s.getBytes(StandardCharsets.UTF_8), s);
  }

  /**
   * A text message from UTF-8 bytes, copied.
   *
   * @throws IllegalArgumentException if the bytes are not valid UTF-8
   */
  public static Message textUtf8(byte[] utf8) {
    if (!Utf8Validator.isValid(utf8)) {
      throw new IllegalArgumentException("not valid UTF-8");
    }
    return new Message(Type.TEXT, utf8.clone(), null);
  }

  /** A binary message holding a copy of {@code bytes}. */
  public static Message binary(byte[] bytes) {
    return new Message(Type.BINARY, bytes.clone(), null);
  }

  /**
   * A binary message holding a copy of {@code length} bytes of {@code bytes} from {@code offset}.
   */
  public static Message binary(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return new Message(Type.BINARY, Arrays.copyOfRange(bytes, offset, offset + length), null);
  }

  /** A binary message holding a copy of the buffer's remaining bytes; its position is kept. */
  public static Message binary(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return new Message(Type.BINARY, copy, null);
  }

  /** Takes ownership of {@code bytes} without copying: only for arrays nobody else holds. */
  static Message adopt(Type type, byte[] bytes) {
    return new Message(type, bytes, null);
  }

  public Type type() {
    return type;
  }

  public boolean isText() {
    return type == Type.TEXT;
  }

  public boolean isBinary() {
    return type == Type.BINARY;
  }

  /**
   * The same message, never compressed even where permessage-deflate is negotiated: for payloads
   * that are compressed already (images, archives), where deflate would spend time for nothing.
   * Shares the payload; equal to this message.
   */
  public Message withoutCompression() {
    return this instanceof NeverCompressed ? this : new NeverCompressed(this);
  }

  /** Whether this message may go out compressed; see {@link #withoutCompression()}. */
  public boolean compressionAllowed() {
    return !(this instanceof NeverCompressed);
  }

  /** The payload size in bytes (UTF-8 bytes for text). */
  public int size() {
    return bytes.length;
  }

  /** The text; a binary message's bytes are decoded as UTF-8, with bad sequences replaced. */
  public String text() {
    String s = text;
    if (s == null) {
      s = new String(bytes, StandardCharsets.UTF_8);
      text = s;
    }
    return s;
  }

  /** A copy of the payload. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** A read-only view of the payload, without copying. */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Writes the payload to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  /** The opcode of the frame that carries this message unfragmented. */
  public Opcode opcode() {
    return type == Type.TEXT ? Opcode.TEXT : Opcode.BINARY;
  }

  /** Encodes this message as one final frame into a new buffer that the caller owns. */
  public ByteBuf encode(ByteBufAllocator alloc, FrameEncoder encoder) {
    return encoder.encode(alloc, true, 0, opcode(), bytes, 0, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message other && other.type == type && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    if (type == Type.TEXT) {
      String s = text();
      return "TEXT \"" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "\"";
    }
    return "BINARY " + bytes.length + " bytes";
  }
}
