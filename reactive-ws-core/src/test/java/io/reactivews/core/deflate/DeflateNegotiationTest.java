package io.reactivews.core.deflate;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.handshake.WebSocketExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7692 section 7.1: offers, answers and what each end may say. */
class DeflateNegotiationTest {

  private static final DeflateOptions DEFAULTS = DeflateOptions.defaults();

  private static DeflateNegotiation.Result answer(String offers, DeflateOptions options) {
    return DeflateNegotiation.answer(WebSocketExtension.parse(offers), options);
  }

  private static String header(DeflateNegotiation.Result r) {
    return WebSocketExtension.format(r.responses());
  }

  @Test
  void browsersOfferIsAnsweredWithNoContextTakeoverBothWays() {
    DeflateNegotiation.Result r =
        answer("permessage-deflate; client_max_window_bits", DEFAULTS);
    assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        header(r));
    assertEquals(new DeflateParameters(true, true, -1, -1), r.agreed());
  }

  @Test
  void contextTakeoverModeAnswersOnlyWhatTheOfferAsksFor() {
    DeflateOptions keep = DEFAULTS.contextTakeover(true);
    assertEquals("permessage-deflate", header(answer("permessage-deflate", keep)));
    assertEquals("permessage-deflate; server_no_context_takeover",
        header(answer("permessage-deflate; server_no_context_takeover", keep)));
    // The client's own promise is echoed: it costs the client nothing and frees our inflater.
    assertEquals("permessage-deflate; client_no_context_takeover",
        header(answer("permessage-deflate; client_no_context_takeover", keep)));
  }

  @Test
  void aLimitOnOurWindowIsHonouredWithHuffmanCodingOnly() {
    DeflateNegotiation.Result r = answer("permessage-deflate; server_max_window_bits=9", DEFAULTS);
    assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
        + " server_max_window_bits=9", header(r));
    assertTrue(DeflateNegotiation.limitsWindow(Role.SERVER, r.agreed()));
    assertEquals(15, r.agreed().clientWindow());
  }

  @Test
  void fifteenBitsLimitsNothing() {
    DeflateNegotiation.Result r =
        answer("permessage-deflate; server_max_window_bits=15", DEFAULTS);
    assertEquals(15, r.agreed().serverMaxWindowBits());
    assertTrue(!DeflateNegotiation.limitsWindow(Role.SERVER, r.agreed()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "permessage-deflate; x_unknown",
      "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
      "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
      "permessage-deflate; server_max_window_bits",
      "permessage-deflate; server_max_window_bits=16",
      "permessage-deflate; server_max_window_bits=7",
      "permessage-deflate; server_max_window_bits=010",
      "permessage-deflate; client_max_window_bits=abc",
      "permessage-deflate; server_no_context_takeover=1",
      "permessage-deflate; client_no_context_takeover=true"})
  void malformedOffersAreDeclinedWithTheReason(String offer) {
    DeflateNegotiation.Result r = answer(offer, DEFAULTS);
    assertNull(r.agreed());
    assertEquals(List.of(), r.responses());
    assertEquals(1, r.declined().size());
    assertTrue(r.declined().get(0).startsWith("declined offer"), r.declined().get(0));
  }

  @Test
  void aDeclinedOfferFallsBackToTheNext() {
    DeflateNegotiation.Result r = answer("x-webkit-deflate-frame, permessage-deflate; foo=1,"
        + " permessage-deflate; client_max_window_bits=10", DEFAULTS);
    assertEquals(new DeflateParameters(true, true, -1, -1), r.agreed());
    assertEquals(List.of("declined offer \"permessage-deflate; foo=1\": unknown parameter foo"),
        r.declined());
  }

  @Test
  void quotedValuesAreTokensLikeAnyOther() {
    DeflateNegotiation.Result r =
        answer("permessage-deflate; server_max_window_bits=\"10\"", DEFAULTS);
    assertEquals(10, r.agreed().serverMaxWindowBits());
  }

  @Test
  void disabledDeclinesEverything() {
    assertNull(answer("permessage-deflate", DeflateOptions.disabled()).agreed());
    assertNull(DeflateNegotiation.offer(DeflateOptions.disabled()));
  }

  @Test
  void clientOffersClientMaxWindowBits() {
    assertEquals("permessage-deflate; client_max_window_bits",
        DeflateNegotiation.offer(DEFAULTS).toString());
  }

  @Test
  void clientAcceptsEveryValidAnswer() {
    assertEquals(new DeflateParameters(true, true, 10, 8), DeflateNegotiation.check(
        WebSocketExtension.parse("permessage-deflate; server_no_context_takeover;"
            + " client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=8"),
        DEFAULTS));
    assertNull(DeflateNegotiation.check(List.of(), DEFAULTS));
    DeflateParameters limited = DeflateNegotiation.check(
        WebSocketExtension.parse("permessage-deflate; client_max_window_bits=9"), DEFAULTS);
    assertTrue(DeflateNegotiation.limitsWindow(Role.CLIENT, limited));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "permessage-deflate; client_max_window_bits",
      "permessage-deflate; x=1",
      "permessage-deflate, permessage-deflate",
      "permessage-deflate; server_max_window_bits=20",
      "permessage-deflate; client_no_context_takeover; client_no_context_takeover"})
  void clientRejectsAnAnswerItDidNotAskFor(String answer) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeflateNegotiation.check(WebSocketExtension.parse(answer), DEFAULTS));
    assertTrue(e.getMessage().startsWith("server"), e.getMessage());
  }

  @Test
  void clientThatOfferedNothingRejectsAnyAnswer() {
    assertThrows(IllegalArgumentException.class, () -> DeflateNegotiation.check(
        WebSocketExtension.parse("permessage-deflate"), DeflateOptions.disabled()));
  }
}
