package io.reactivews.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramesTest {

  @Test
  void textPayloadsAreValidUtf8OfTheExactSizeWithCharactersOfEveryLength()
      throws CharacterCodingException {
    for (int size : new int[] {1, 3, 64, 16384}) {
      byte[] payload = Frames.payload(Frames.TEXT, size, 0);
      assertEquals(size, payload.length);
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload)).toString();
      if (size >= 16384) {
        assertTrue(text.codePoints().anyMatch(c -> c >= 0x80 && c < 0x800), "no 2-byte character");
        assertTrue(text.codePoints().anyMatch(c -> c >= 0x800 && c < 0x10000), "no 3-byte one");
        assertTrue(text.codePoints().anyMatch(c -> c >= 0x10000), "no 4-byte one");
      }
    }
  }

  @Test
  void distinctPayloadsDiffer() {
    assertTrue(ByteBuffer.wrap(Frames.payload(Frames.TEXT, 64, 0))
        .mismatch(ByteBuffer.wrap(Frames.payload(Frames.TEXT, 64, 1))) >= 0);
  }
}
