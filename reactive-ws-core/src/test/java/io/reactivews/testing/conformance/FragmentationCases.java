package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static io.reactivews.testing.conformance.Outcome.echoes;
import static io.reactivews.testing.conformance.Outcome.fails;
import static io.reactivews.testing.conformance.Payloads.utf8;

import io.reactivews.testing.RawFrame;
import java.util.stream.Stream;

/**
 * Suite category 5 as data, for either end: fragmented messages, control frames between
 * fragments, fragmented control frames and continuations with nothing to continue. Each shape is
 * sent in one write, one write per frame, and one write per byte, as the suite does. RFC 6455
 * section 5.4.
 */
public final class FragmentationCases {

  private static final int PROTOCOL_ERROR = 1002;

  private FragmentationCases() {}

  public static Stream<ConformanceCase> cases() {
    RawFrame first = RawFrame.text("fragment1").fin(false);
    RawFrame last = RawFrame.continuation("fragment2");
    Event joined = Event.text("fragment1fragment2");
    RawFrame ping = RawFrame.ping(utf8("ping payload"));
    Event pong = Event.pong("ping payload");
    RawFrame[] orphanFinal = {
        RawFrame.continuation("non-continuation payload"), RawFrame.text("Hello, world!")};
    RawFrame[] orphanOpen = {
        RawFrame.continuation("non-continuation payload").fin(false),
        RawFrame.text("Hello, world!")};
    return Stream.of(
        of("5.1", "ping in 2 fragments: control frames must not be fragmented",
            Script.of().send(RawFrame.ping(utf8("fragment1")).fin(false), last),
            fails(PROTOCOL_ERROR)),
        of("5.2", "pong in 2 fragments",
            Script.of().send(RawFrame.pong(utf8("fragment1")).fin(false), last),
            fails(PROTOCOL_ERROR)),
        of("5.3", "text in 2 fragments, one write",
            Script.of().send(first, last), echoes(joined)),
        of("5.4", "text in 2 fragments, one write per frame",
            Script.of().perFrame(first, last), echoes(joined)),
        of("5.5", "text in 2 fragments, one write per byte",
            Script.of().perOctet(first, last), echoes(joined)),
        of("5.6", "text in 2 fragments with a ping between, one write: pong, then the echo",
            Script.of().send(first, ping, last), echoes(pong, joined)),
        of("5.7", "as 5.6, one write per frame",
            Script.of().perFrame(first, ping, last), echoes(pong, joined)),
        of("5.8", "as 5.6, one write per byte",
            Script.of().perOctet(first, ping, last), echoes(pong, joined)),
        of("5.9", "final continuation with nothing to continue, then text, one write",
            Script.of().send(orphanFinal), fails(PROTOCOL_ERROR)),
        of("5.10", "as 5.9, one write per frame",
            Script.of().perFrame(orphanFinal), fails(PROTOCOL_ERROR)),
        of("5.11", "as 5.9, one write per byte",
            Script.of().perOctet(orphanFinal), fails(PROTOCOL_ERROR)),
        of("5.12", "non-final continuation with nothing to continue, then text, one write",
            Script.of().send(orphanOpen), fails(PROTOCOL_ERROR)),
        of("5.13", "as 5.12, one write per frame",
            Script.of().perFrame(orphanOpen), fails(PROTOCOL_ERROR)),
        of("5.14", "as 5.12, one write per byte",
            Script.of().perOctet(orphanOpen), fails(PROTOCOL_ERROR)),
        of("5.15", "text in 2 fragments, then a continuation with nothing to continue",
            Script.of().send(first, last, RawFrame.continuation("fragment3").fin(false),
                RawFrame.text("fragment4")),
            fails(PROTOCOL_ERROR).after(joined).orAfter()),
        of("5.16", "twice: orphan non-final continuation, then text in 2 fragments",
            Script.of().send(orphanThenMessage(false)), fails(PROTOCOL_ERROR)),
        of("5.17", "twice: orphan final continuation, then text in 2 fragments",
            Script.of().send(orphanThenMessage(true)), fails(PROTOCOL_ERROR)),
        of("5.18", "text in 2 fragments that both have the text opcode",
            Script.of().send(first, RawFrame.text("fragment2")), fails(PROTOCOL_ERROR)),
        interleavedPings("5.19", false),
        interleavedPings("5.20", true));
  }

  private static RawFrame[] orphanThenMessage(boolean orphanFin) {
    RawFrame[] once = {
        RawFrame.continuation("fragment1").fin(orphanFin),
        RawFrame.text("fragment2").fin(false),
        RawFrame.continuation("fragment3")};
    return new RawFrame[] {once[0], once[1], once[2], once[0], once[1], once[2]};
  }

  /**
   * Text in 5 fragments with a ping after the second and the fourth and a pause after the first
   * ping: the first pong must come during the pause, before the message is complete.
   */
  private static ConformanceCase interleavedPings(String id, boolean perFrame) {
    RawFrame[] part1 = {
        RawFrame.text("fragment1").fin(false),
        RawFrame.continuation("fragment2").fin(false),
        RawFrame.ping(utf8("pongme 1!"))};
    RawFrame[] part2 = {
        RawFrame.continuation("fragment3").fin(false),
        RawFrame.continuation("fragment4").fin(false),
        RawFrame.ping(utf8("pongme 2!")),
        RawFrame.continuation("fragment5")};
    Script script = perFrame
        ? Script.of().perFrame(part1).expect(Event.pong("pongme 1!")).perFrame(part2)
        : Script.of().send(part1).expect(Event.pong("pongme 1!")).send(part2);
    return of(id, "text in 5 fragments, pings after the 2nd and 4th, a pause after the first"
            + (perFrame ? ", one write per frame" : ""),
        script,
        echoes(Event.pong("pongme 1!"), Event.pong("pongme 2!"),
            Event.text("fragment1fragment2fragment3fragment4fragment5")));
  }
}
