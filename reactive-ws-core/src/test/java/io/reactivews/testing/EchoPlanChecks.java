package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The checks every interop run of the {@link EchoPlan#standard() standard plan} must pass,
 * whoever the two ends are: a foreign client against our server, or our client against a
 * foreign server. A subclass runs the plan once, before its tests, and hands over the report
 * of the side that sent: one {@code echo} line per message that came back, with its type,
 * length and SHA-256, compared here with what was sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EchoPlanChecks {

  /** The plan that ran. */
  protected abstract EchoPlan plan();

  /** What the sending side saw come back. */
  protected abstract PeerReport echoes();

  @Test
  public void everyMessageComesBackInOrderWithItsType() {
    List<JsonNode> echoes = echoes().all("echo");
    assertEquals(plan().messages().size(), echoes.size(), echoes().transcript());
    for (int i = 0; i < echoes.size(); i++) {
      assertEquals(i, echoes.get(i).path("index").asInt());
      assertEquals(plan().messages().get(i).type(), echoes.get(i).path("type").asText(),
          "type of message " + i);
    }
  }

  @Test
  public void multiByteUtf8TextComesBackIntact() {
    List<Integer> texts = plan().indexesOf(m -> !m.binary() && !m.text().isEmpty());
    assertEquals(2, texts.size());
    texts.forEach(i -> assertEchoed(plan(), echoes(), i));
    assertTrue(plan().messages().get(texts.get(1)).bytes().length > 500_000,
        "the long text spans many reads");
  }

  @Test
  public void emptyTextAndBinaryComeBackEmpty() {
    List<Integer> empties = plan().indexesOf(m -> m.bytes().length == 0);
    assertEquals(2, empties.size());
    empties.forEach(i -> assertEchoed(plan(), echoes(), i));
  }

  @Test
  public void binaryAtEachPayloadLengthEncodingBoundaryComesBackIntact() {
    List<Integer> boundaries =
        plan().indexesOf(m -> m.binary() && m.size() >= 125 && m.size() <= 65_536);
    assertEquals(List.of(125, 126, 65_535, 65_536),
        boundaries.stream().map(i -> plan().messages().get(i).size()).toList());
    boundaries.forEach(i -> assertEchoed(plan(), echoes(), i));
  }

  @Test
  public void sixteenMebibyteBinaryComesBackByteForByte() {
    List<Integer> large = plan().indexesOf(m -> m.binary() && m.size() == EchoPlan.SIXTEEN_MIB);
    assertEquals(1, large.size());
    assertEchoed(plan(), echoes(), large.get(0));
  }

  /** Fails unless {@code report} has an {@code echo} line that matches message {@code index}. */
  public static void assertEchoed(EchoPlan plan, PeerReport report, int index) {
    EchoPlan.Planned sent = plan.messages().get(index);
    JsonNode echo = report.all("echo").stream().filter(e -> e.path("index").asInt() == index)
        .findFirst().orElseThrow(() -> new AssertionError("no echo of message " + index + "\n"
            + report.transcript()));
    assertEquals(sent.type(), echo.path("type").asText(), "type of message " + index);
    assertEquals(sent.bytes().length, echo.path("length").asLong(), "length of message " + index);
    assertEquals(sent.sha256(), echo.path("sha256").asText(), "SHA-256 of message " + index);
  }
}
