package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static io.reactivews.testing.conformance.Outcome.NO_CODE;
import static io.reactivews.testing.conformance.Outcome.answersClose;
import static io.reactivews.testing.conformance.Outcome.fails;
import static io.reactivews.testing.conformance.Payloads.KOSME;
import static io.reactivews.testing.conformance.Payloads.concat;
import static io.reactivews.testing.conformance.Payloads.hex;
import static io.reactivews.testing.conformance.Payloads.stars;
import static io.reactivews.testing.conformance.Payloads.utf8;

import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Suite category 7 as data, for either end: the close handshake (RFC 6455 sections 5.5.1, 7.1
 * and 7.4). Data after a close is ignored; close bodies of 0 and 2 to 125 bytes are answered;
 * valid codes are echoed; bodies of 1 or 126 bytes, codes that may not be sent, and reasons that
 * are not UTF-8 fail the connection.
 *
 * <p>Codes 1012-1014 are registered with IANA and valid on the wire in this project; the suite's
 * lists name neither them nor 1015, so they appear here as extra cases ("7.7.x", "7.9.x").
 */
public final class CloseCases {

  private static final int NORMAL = 1000;
  private static final int PROTOCOL_ERROR = 1002;
  private static final int INVALID_PAYLOAD = 1007;

  /** The suite's valid codes (7.7.1 to 7.7.13). */
  private static final int[] VALID_CODES =
      {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};

  /** The suite's invalid codes (7.9.1 to 7.9.9). */
  private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

  private CloseCases() {}

  /** 7.1: what comes after the peer's close is ignored. */
  public static Stream<ConformanceCase> afterClose() {
    RawFrame close = RawFrame.close(NORMAL, "");
    RawFrame hello = RawFrame.text("Hello World!");
    byte[] big = utf8("BAsd7&jh23".repeat(256 * 1024 / 10 + 1).substring(0, 256 * 1024));
    return Stream.of(
        of("7.1.1", "text message, then close: echo, then the close answered",
            Script.of().send(hello, close),
            answersClose(NORMAL).after(Event.text("Hello World!"))),
        of("7.1.2", "two close frames: the second is ignored",
            Script.of().send(close, close), answersClose(NORMAL)),
        of("7.1.3", "close, then a ping: no pong",
            Script.of().send(close, RawFrame.ping(new byte[0])), answersClose(NORMAL)),
        of("7.1.4", "close, then a text message: not echoed",
            Script.of().send(close, hello), answersClose(NORMAL)),
        of("7.1.5", "first fragment, close, last fragment: no message",
            Script.of().send(RawFrame.text("fragment1").fin(false), close,
                RawFrame.continuation("fragment2")),
            answersClose(NORMAL)),
        // Informational in the suite: a close right behind big data may overtake the echoes.
        of("7.1.6", "256 KiB text, small text, close, ping: echoes (or not), close answered",
            Script.of().send(RawFrame.text(big), hello, close, RawFrame.ping(new byte[0])),
            answersClose(NORMAL).after(Event.text(big), Event.text("Hello World!"))
                .orAfter(Event.text(big)).orAfter()));
  }

  /** 7.3 and 7.5: close bodies by length, and the reason's encoding. */
  public static Stream<ConformanceCase> closeBodies() {
    return Stream.of(
        of("7.3.1", "close with an empty body: answered with an empty body",
            Script.of().send(RawFrame.of(RawFrame.CLOSE, new byte[0])), answersClose(NO_CODE)),
        of("7.3.2", "close with a 1-byte body",
            Script.of().send(RawFrame.of(RawFrame.CLOSE, utf8("a"))), fails(PROTOCOL_ERROR)),
        of("7.3.3", "close with code 1000 and no reason",
            Script.of().send(RawFrame.close(NORMAL, "")), answersClose(NORMAL)),
        of("7.3.4", "close with code 1000 and a short reason",
            Script.of().send(RawFrame.close(NORMAL, "Hello World!")), answersClose(NORMAL)),
        of("7.3.5", "close with code 1000 and a 123-byte reason (125-byte body)",
            Script.of().send(RawFrame.close(NORMAL, stars(123))), answersClose(NORMAL)),
        of("7.3.6", "close with code 1000 and a 124-byte reason (126-byte body)",
            Script.of().send(RawFrame.close(NORMAL, stars(124))), fails(PROTOCOL_ERROR)),
        // The suite also accepts 1002 here; this project answers 1007, as for text.
        of("7.5.1", "close whose reason is not UTF-8",
            Script.of().send(RawFrame.close(NORMAL,
                concat(KOSME, hex("eda080"), utf8("edited")))),
            fails(INVALID_PAYLOAD)));
  }

  /** 7.7, 7.9 and 7.13: which codes are echoed and which fail the connection. */
  public static Stream<ConformanceCase> closeCodes() {
    List<ConformanceCase> cases = new ArrayList<>();
    for (int i = 0; i < VALID_CODES.length; i++) {
      cases.add(validCode("7.7." + (i + 1), VALID_CODES[i], ""));
    }
    for (int code = 1012; code <= 1014; code++) {
      cases.add(validCode("7.7.x", code, " (IANA-registered, not in the suite's list)"));
    }
    for (int i = 0; i < INVALID_CODES.length; i++) {
      cases.add(invalidCode("7.9." + (i + 1), INVALID_CODES[i], ""));
    }
    cases.add(invalidCode("7.9.x", 1015, " (TLS failure, local only; not in the suite's list)"));
    // Informational in the suite (any of 1000, the code, 1002); this project says 1002.
    cases.add(invalidCode("7.13.1", 5000, " (beyond the private range)"));
    cases.add(invalidCode("7.13.2", 65535, " (beyond the private range)"));
    return cases.stream();
  }

  private static ConformanceCase validCode(String id, int code, String note) {
    return of(id, "close with valid code " + code + ": echoed" + note,
        Script.of().send(RawFrame.close(code, "")), answersClose(code));
  }

  private static ConformanceCase invalidCode(String id, int code, String note) {
    return of(id, "close with invalid code " + code + note,
        Script.of().send(RawFrame.close(code, "")), fails(PROTOCOL_ERROR));
  }
}
