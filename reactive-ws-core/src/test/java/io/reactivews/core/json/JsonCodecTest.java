package io.reactivews.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.reactivews.core.json.Samples.Profile;
import io.reactivews.core.json.Samples.Score;
import io.reactivews.core.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private final JsonCodec json = JsonCodec.create();

  @Test
  void encodesValuesAsUtf8TextMessages() {
    Message message = json.encode(new Score("zoë", 42));

    assertTrue(message.isText());
    assertEquals("{\"player\":\"zoë\",\"points\":42}", message.text());
    // "zoë": 7a 6f c3 ab, the ë as two UTF-8 bytes.
    assertEquals(
        "7b22706c61796572223a227a6fc3ab222c22706f696e7473223a34327d",
        HexFormat.of().formatHex(message.bytes()));
  }

  @Test
  void recordsRoundTrip() {
    Score score = new Score("bob", 7);

    assertEquals(score, json.decode(json.encode(score), Score.class));
  }

  @Test
  void beansRoundTripThroughTheirSetters() {
    Profile back = json.decode(json.encode(new Profile("alice", 12)), Profile.class);

    assertEquals("alice", back.getName());
    assertEquals(12, back.getLevel());
  }

  @Test
  void genericTypesRoundTripWithATypeReference() {
    List<Score> scores = List.of(new Score("a", 1), new Score("b", 2));

    List<Score> back = json.decode(json.encode(scores), new TypeReference<List<Score>>() {});

    assertEquals(scores, back);
  }

  @Test
  void binaryMessagesHoldingJsonAreDecodedToo() {
    byte[] utf8 = "{\"player\":\"bob\",\"points\":3}".getBytes(StandardCharsets.UTF_8);

    assertEquals(new Score("bob", 3), json.decode(Message.binary(utf8), Score.class));
    assertEquals(3, json.tree(Message.binary(utf8)).get("points").intValue());
  }

  @Test
  void unknownPropertiesAreIgnoredByDefault() {
    Message message = Message.text("{\"player\":\"bob\",\"points\":3,\"team\":\"red\"}");

    assertEquals(new Score("bob", 3), json.decode(message, Score.class));
  }

  @Test
  void aGivenMapperKeepsItsOwnSettings() {
    JsonCodec strict = JsonCodec.using(JsonMapper.builder().build());
    Message message = Message.text("{\"player\":\"bob\",\"points\":3,\"team\":\"red\"}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> strict.decode(message, Score.class));
    assertTrue(e.getMessage().contains("Unrecognized field \"team\""), e.getMessage());
  }

  @Test
  void truncatedJsonNamesWhatWasExpectedWhereItStoppedAndShowsTheText() {
    Message message = Message.text("{\"player\":\"bob\",\"points\":");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(message, Score.class));

    assertEquals(
        "expected Score at line 1, column 26: Unexpected end-of-input within/between Object"
            + " entries; near: {\"player\":\"bob\",\"points\":",
        e.getMessage());
    assertEquals("Score", e.expected());
    assertEquals(1, e.line());
    assertEquals(26, e.column());
    assertEquals("{\"player\":\"bob\",\"points\":", e.excerpt());
  }

  @Test
  void aValueOfTheWrongTypeNamesTheFieldPath() {
    Message message = Message.text("{\"player\":\"bob\",\"points\":\"many\"}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(message, Score.class));

    assertEquals("$.points", e.path());
    assertEquals(1, e.line());
    assertEquals(26, e.column());
    assertTrue(
        e.getMessage().startsWith("expected Score at line 1, column 26, $.points: Cannot"),
        e.getMessage());
    assertTrue(e.getMessage().contains("`int`"), e.getMessage());
  }

  @Test
  void columnsCountBytesAsTheyAreOnTheWire() {
    // "é" is two bytes, so the x is the 25th byte though the 24th character.
    Message message = Message.text("{\"player\":\"é\",\"points\":x}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(message, Score.class));

    assertEquals(25, e.column());
  }

  @Test
  void anArrayWhereAnObjectBelongsIsATypeMismatch() {
    JsonMessageException e =
        assertThrows(
            JsonMessageException.class, () -> json.decode(Message.text("[1,2]"), Score.class));

    assertEquals(1, e.column());
    assertTrue(e.getMessage().contains("from Array value"), e.getMessage());
  }

  @Test
  void textThatIsNotJsonAtAllIsReported() {
    JsonMessageException e =
        assertThrows(
            JsonMessageException.class,
            () -> json.decode(Message.text("hello there"), Score.class));

    assertEquals(1, e.line());
    assertEquals(1, e.column());
    assertEquals("hello there", e.excerpt());
    assertTrue(e.getMessage().contains("Unrecognized token 'hello'"), e.getMessage());
  }

  @Test
  void anEmptyMessageIsReportedAsEmpty() {
    for (Message empty : List.of(Message.text(""), Message.binary(new byte[0]))) {
      JsonMessageException e =
          assertThrows(JsonMessageException.class, () -> json.decode(empty, Score.class));

      assertEquals("expected Score at line 1, column 1: the message is empty; near: ",
          e.getMessage());
    }
  }

  @Test
  void aBlankMessagePointsPastTheWhitespace() {
    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.tree(Message.text(" \n ")));

    assertEquals("JSON", e.expected());
    assertEquals(2, e.line());
    assertEquals(2, e.column());
    assertTrue(e.getMessage().contains("only whitespace"), e.getMessage());
  }

  @Test
  void errorsOnLaterLinesAreLocatedAndTheExcerptStaysOnOneLine() {
    Message message = Message.text("{\n  \"player\": \"bob\",\n  \"points\": tru\n}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(message, Score.class));

    assertEquals(3, e.line());
    assertEquals(13, e.column());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.excerpt().contains("\\n  \"points\": tru"), e.excerpt());
  }

  @Test
  void aLongMessageIsCutToAShortExcerptAroundTheError() {
    String longName = "x".repeat(5000);
    Message message = Message.text("{\"player\":\"" + longName + "\",\"points\":oops}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(message, Score.class));

    assertTrue(e.getMessage().length() < 400, e.getMessage());
    assertTrue(e.excerpt().startsWith("…"), e.excerpt());
    assertTrue(e.excerpt().contains("\"points\":oops"), e.excerpt());
    assertEquals(5023, e.column());
  }

  @Test
  void excerptsAreCutBetweenCharactersNotInsideThem() {
    // Two-byte characters throughout, so any byte window starts or ends mid-character.
    String name = "é".repeat(100);
    Message message = Message.text("{\"player\":\"" + name + "\",\"points\":\"" + name + "\"}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(message, Score.class));

    assertFalse(e.excerpt().contains("\uFFFD"), e.excerpt());
    assertTrue(e.excerpt().contains("éé"), e.excerpt());
  }

  @Test
  void nullIsNotAValue() {
    JsonMessageException e =
        assertThrows(
            JsonMessageException.class, () -> json.decode(Message.text("null"), Score.class));

    assertEquals("expected Score: got null; near: null", e.getMessage());
  }

  @Test
  void aMessageHoldsExactlyOneValue() {
    Message twoValues = Message.text("{\"player\":\"a\",\"points\":1}{\"player\":\"b\"}");

    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.decode(twoValues, Score.class));

    assertEquals(26, e.column());
    assertThrows(JsonMessageException.class, () -> json.tree(Message.text("[] []")));
  }

  @Test
  void treesReadAnyJsonValue() {
    JsonNode tree = json.tree(Message.text("[1, {\"a\": true}]"));

    assertEquals(2, tree.size());
    assertTrue(tree.get(1).get("a").booleanValue());
    assertThrows(JsonMessageException.class, () -> json.tree(Message.text("{\"a\":")));
  }

  @Test
  void valuesThatCannotBeWrittenAreIllegalArguments() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> json.encode(new Object()));
    assertTrue(e.getMessage().startsWith("cannot write java.lang.Object as JSON"), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> json.encode(Message.text("{}")));
  }

  @Test
  void typeFieldIsConfiguredOnACopy() {
    JsonCodec kinds = json.withTypeField("kind");

    assertEquals("kind", kinds.typeField());
    assertEquals("type", json.typeField());
    assertSame(JsonCodec.DEFAULT_TYPE_FIELD, json.typeField());
    assertThrows(IllegalArgumentException.class, () -> json.withTypeField(""));
  }
}
