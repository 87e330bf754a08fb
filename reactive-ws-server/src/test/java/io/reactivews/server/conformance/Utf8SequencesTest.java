package io.reactivews.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.testing.conformance.Utf8Sequences;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Checks the fixture itself: the JDK's strict decoder must agree with every valid/invalid mark. */
class Utf8SequencesTest {

  @Test
  void everyMarkAgreesWithTheJdkDecoder() {
    int count = 0;
    for (Utf8Sequences.Group group : Utf8Sequences.groups()) {
      for (Utf8Sequences.Sequence s : group.sequences()) {
        assertEquals(s.valid(), decodes(s.bytes()),
            "6." + group.number() + " " + java.util.HexFormat.of().formatHex(s.bytes()));
        count++;
      }
    }
    assertEquals(132, count, "the suite's 6.5 to 6.23 hold 132 sequences");
  }

  @Test
  void groupsAreNumberedAsInTheSuite() {
    var groups = Utf8Sequences.groups();
    assertEquals(5, groups.get(0).number());
    assertEquals(23, groups.get(groups.size() - 1).number());
    assertEquals(34, groups.get(17).sequences().size(), "6.22: noncharacters");
  }

  private static boolean decodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
