package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static io.reactivews.testing.conformance.Outcome.echoes;
import static io.reactivews.testing.conformance.Outcome.fails;
import static io.reactivews.testing.conformance.Payloads.KOSME;
import static io.reactivews.testing.conformance.Payloads.concat;
import static io.reactivews.testing.conformance.Payloads.hex;
import static io.reactivews.testing.conformance.Payloads.utf8;

import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Suite category 6 as data, for either end: text messages must be valid UTF-8 (RFC 6455 section
 * 8.1). Valid text is echoed byte for byte; invalid text fails the connection with 1007, and
 * fails it fast (6.4.*): as soon as the bad byte arrives, while the peer pauses before sending
 * the rest.
 */
public final class Utf8Cases {

  private static final int INVALID_PAYLOAD = 1007;

  /** "κόσμε", then U+D800 encoded (a surrogate: invalid), then "edited". */
  private static final byte[] KOSME_SURROGATE_EDITED =
      concat(KOSME, hex("eda080"), utf8("edited"));

  /** "κόσμε", then F4 90 80 80 (0x110000, past the last code point), then "edited". */
  private static final byte[] KOSME_TOO_HIGH_EDITED =
      concat(KOSME, hex("f4908080"), utf8("edited"));

  private Utf8Cases() {}

  /** 6.1 to 6.3: empty and fragmented text, valid and invalid, split at every byte. */
  public static Stream<ConformanceCase> framingOfText() {
    String hello = "Hello-µ@ßöäüàá-UTF-8!!";
    return Stream.of(
        of("6.1.1", "empty text message",
            Script.of().send(RawFrame.text("")), echoes(Event.text(""))),
        of("6.1.2", "text in 3 empty fragments",
            Script.of().send(RawFrame.text("").fin(false),
                RawFrame.continuation("").fin(false), RawFrame.continuation("")),
            echoes(Event.text(""))),
        of("6.1.3", "text in 3 fragments, the first and last empty",
            Script.of().send(RawFrame.text("").fin(false),
                RawFrame.continuation("middle frame payload").fin(false),
                RawFrame.continuation("")),
            echoes(Event.text("middle frame payload"))),
        of("6.2.1", "valid UTF-8 text in one frame",
            Script.of().send(RawFrame.text(hello)), echoes(Event.text(hello))),
        of("6.2.2", "valid UTF-8 text in 2 fragments split on a character boundary",
            Script.of().send(RawFrame.text("Hello-µ@ßöä").fin(false),
                RawFrame.continuation("üàá-UTF-8!!")),
            echoes(Event.text(hello))),
        of("6.2.3", "valid UTF-8 text in fragments of 1 byte",
            Script.of().send(oneBytePerFrame(utf8(hello))), echoes(Event.text(hello))),
        of("6.2.4", "\"κόσμε\" in fragments of 1 byte, cutting characters",
            Script.of().send(oneBytePerFrame(KOSME)), echoes(Event.text(KOSME))),
        of("6.3.1", "invalid UTF-8 text (a surrogate) in one frame",
            Script.of().send(RawFrame.text(KOSME_SURROGATE_EDITED)), fails(INVALID_PAYLOAD)),
        of("6.3.2", "invalid UTF-8 text (a surrogate) in fragments of 1 byte",
            Script.of().send(oneBytePerFrame(KOSME_SURROGATE_EDITED)), fails(INVALID_PAYLOAD)));
  }

  /**
   * 6.4: the first part is valid, so the endpoint must wait; the second part makes the text
   * invalid, so the endpoint must fail the connection before the peer sends the third.
   */
  public static Stream<ConformanceCase> failFast() {
    byte[] text = KOSME_TOO_HIGH_EDITED;
    RawFrame whole = RawFrame.text(text);
    int end = text.length;
    return Stream.of(
        of("6.4.1", "3 fragments: valid, then the invalid code point F4 90 80 80, then the rest",
            Script.of()
                .send(RawFrame.text(KOSME).fin(false)).quiet()
                .send(RawFrame.continuation(hex("f4908080")).fin(false)).failsFirst()
                .send(RawFrame.continuation("edited")),
            fails(INVALID_PAYLOAD)),
        of("6.4.2", "3 fragments, the second holding only the byte that makes the text invalid",
            Script.of()
                .send(RawFrame.text(Arrays.copyOf(text, 12)).fin(false)).quiet()
                .send(RawFrame.continuation(new byte[] {text[12]}).fin(false))
                .failsFirst()
                .send(RawFrame.continuation(Arrays.copyOfRange(text, 13, text.length))),
            fails(INVALID_PAYLOAD)),
        of("6.4.3", "as 6.4.1 in one frame written in 3 pieces",
            Script.of()
                .piece(whole, 0, 11, "header and \"κόσμε\"").quiet()
                .piece(whole, 11, 15, "F4 90 80 80").failsFirst()
                .piece(whole, 15, end, "\"edited\""),
            fails(INVALID_PAYLOAD)),
        of("6.4.4", "as 6.4.2 in one frame written in 3 pieces",
            Script.of()
                .piece(whole, 0, 12, "header, \"κόσμε\" and F4").quiet()
                .piece(whole, 12, 13, "90").failsFirst()
                .piece(whole, 13, end, "the rest"),
            fails(INVALID_PAYLOAD)));
  }

  /** 6.5 to 6.23: each sequence as a one-frame text message. */
  public static Stream<ConformanceCase> sequences() {
    List<ConformanceCase> cases = new ArrayList<>();
    for (Utf8Sequences.Group group : Utf8Sequences.groups()) {
      int n = 1;
      for (Utf8Sequences.Sequence s : group.sequences()) {
        String id = "6." + group.number() + "." + n++;
        String what = group.title() + ": " + java.util.HexFormat.of().formatHex(s.bytes());
        cases.add(s.valid()
            ? of(id, "valid, echoed: " + what,
                Script.of().send(RawFrame.text(s.bytes())), echoes(Event.text(s.bytes())))
            : of(id, "invalid, fails: " + what,
                Script.of().send(RawFrame.text(s.bytes())), fails(INVALID_PAYLOAD)));
      }
    }
    return cases.stream();
  }

  /** A text message with one payload byte per frame. */
  private static RawFrame[] oneBytePerFrame(byte[] text) {
    RawFrame[] frames = new RawFrame[text.length];
    for (int i = 0; i < text.length; i++) {
      byte[] one = {text[i]};
      frames[i] = (i == 0 ? RawFrame.text(one) : RawFrame.continuation(one))
          .fin(i == text.length - 1);
    }
    return frames;
  }
}
