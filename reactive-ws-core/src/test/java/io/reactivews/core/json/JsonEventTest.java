package io.reactivews.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reactivews.core.json.Samples.PlayerDeath;
import io.reactivews.core.json.Samples.Score;
import io.reactivews.core.message.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonEventTest {

  private final JsonCodec json = JsonCodec.create();

  @Test
  void anEventMessageHasItsTypeFirstThenThePayloadsFields() {
    Message message = json.event("player_death", new PlayerDeath("bob", "alice"));

    assertTrue(message.isText());
    assertEquals(
        "{\"type\":\"player_death\",\"player\":\"bob\",\"killer\":\"alice\"}", message.text());
  }

  @Test
  void theTypeFieldNameIsConfigurable() {
    Message message = json.withTypeField("kind").event("score", new Score("bob", 1));

    assertEquals("{\"kind\":\"score\",\"player\":\"bob\",\"points\":1}", message.text());
  }

  @Test
  void aPayloadThatIsNotAJsonObjectIsRejected() {
    for (Object payload : List.of("text", 42, List.of(1, 2))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> json.event("x", payload));
      assertTrue(e.getMessage().startsWith("an event payload must be a JSON object"),
          e.getMessage());
    }
  }

  @Test
  void aPayloadMayRepeatItsTypeButNotContradictIt() {
    assertEquals(
        "{\"type\":\"a\",\"n\":1}", json.event("a", Map.of("type", "a", "n", 1)).text());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> json.event("a", Map.of("type", "b")));
    assertEquals("the payload has its own \"type\" field \"b\", not \"a\"", e.getMessage());
  }

  @Test
  void aReadEventBindsItsFieldsToARecord() {
    JsonEvent event =
        json.readEvent(
            Message.text("{\"type\":\"player_death\",\"player\":\"bob\",\"killer\":\"alice\"}"));

    assertEquals("player_death", event.type());
    assertEquals(new PlayerDeath("bob", "alice"), event.as(PlayerDeath.class));
    assertEquals("alice", event.field("killer").asText());
    assertTrue(event.field("nothing").isMissingNode());
  }

  @Test
  void eventsRoundTrip() {
    JsonEvent sent = json.toEvent("score", new Score("bob", 5));

    JsonEvent read = json.readEvent(json.encode(sent));

    assertEquals(sent, read);
    assertEquals(new Score("bob", 5), read.as(Score.class));
  }

  @Test
  void anEventNeedsAnObjectWithAStringType() {
    assertEventError("{\"player\":\"bob\"}", "no \"type\" field");
    assertEventError("{\"type\":7}", "\"type\" is a number");
    assertEventError("{\"type\":null}", "\"type\" is null");
    assertEventError("[\"player_death\"]", "got an array");
    assertEventError("{\"type\":", "Unexpected end-of-input");
  }

  @Test
  void fieldsThatDoNotBindNameTheirPath() {
    JsonEvent event = json.readEvent(Message.text("{\"type\":\"score\",\"points\":\"lots\"}"));

    JsonMessageException e = assertThrows(JsonMessageException.class, () -> event.as(Score.class));

    assertEquals("$.points", e.path());
    assertEquals(0, e.line());
    assertTrue(e.getMessage().startsWith("expected Score at $.points: Cannot"), e.getMessage());
    assertEquals("{\"type\":\"score\",\"points\":\"lots\"}", e.excerpt());
  }

  @Test
  void accessorsHandOutCopies() {
    JsonEvent event = json.readEvent(Message.text("{\"type\":\"a\",\"inner\":{\"n\":1}}"));

    ObjectNode node = event.node();
    node.put("type", "changed");
    ((ObjectNode) event.field("inner")).put("n", 2);

    assertEquals("a", event.field("type").asText());
    assertEquals(1, event.field("inner").get("n").intValue());
    assertFalse(event.has("changed"));
  }

  private void assertEventError(String text, String problem) {
    JsonMessageException e =
        assertThrows(JsonMessageException.class, () -> json.readEvent(Message.text(text)));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
