package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static io.reactivews.testing.conformance.Outcome.echoes;
import static io.reactivews.testing.conformance.Outcome.fails;
import static io.reactivews.testing.conformance.Payloads.SMALL_BINARY;
import static io.reactivews.testing.conformance.Payloads.filled;
import static io.reactivews.testing.conformance.Payloads.stars;
import static io.reactivews.testing.conformance.Payloads.utf8;

import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Suite categories 1 to 4 as data, for either end: framing of text and binary messages at every
 * length-encoding boundary (1), pings and pongs (2), reserved bits (3) and reserved opcodes (4).
 * RFC 6455 sections 5.2, 5.5.2, 5.5.3.
 */
public final class FramingCases {

  private static final int PROTOCOL_ERROR = 1002;
  private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

  private FramingCases() {}

  /** 1.1.* text and 1.2.* binary: each length echoed byte for byte. */
  public static Stream<ConformanceCase> framing() {
    List<ConformanceCase> cases = new ArrayList<>();
    for (int i = 0; i < LENGTHS.length; i++) {
      int n = LENGTHS[i];
      cases.add(of("1.1." + (i + 1), "text message of " + n + " bytes",
          Script.of().send(RawFrame.text(stars(n))), echoes(Event.text(stars(n)))));
    }
    cases.add(of("1.1.8", "text message of 65536 bytes sent in chops of 997 bytes",
        Script.of().chops(997, RawFrame.text(stars(65536))), echoes(Event.text(stars(65536)))));
    for (int i = 0; i < LENGTHS.length; i++) {
      int n = LENGTHS[i];
      cases.add(of("1.2." + (i + 1), "binary message of " + n + " bytes",
          Script.of().send(RawFrame.binary(filled(n, 0xfe))),
          echoes(Event.binary(filled(n, 0xfe)))));
    }
    cases.add(of("1.2.8", "binary message of 65536 bytes sent in chops of 997 bytes",
        Script.of().chops(997, RawFrame.binary(filled(65536, 0xfe))),
        echoes(Event.binary(filled(65536, 0xfe)))));
    // Not in the suite: every byte its own write, so each header byte is parsed on its own.
    cases.add(of("1.1.8+", "text message of 65536 bytes sent one byte per write",
        Script.of().perOctet(RawFrame.text(stars(65536))), echoes(Event.text(stars(65536)))));
    cases.add(of("1.2.8+", "binary message of 65536 bytes sent one byte per write",
        Script.of().perOctet(RawFrame.binary(filled(65536, 0xfe))),
        echoes(Event.binary(filled(65536, 0xfe)))));
    return cases.stream();
  }

  public static Stream<ConformanceCase> pingsAndPongs() {
    byte[] hello = utf8("Hello, world!");
    RawFrame[] tenPings = new RawFrame[10];
    Event[] tenPongs = new Event[10];
    for (int i = 0; i < 10; i++) {
      tenPings[i] = RawFrame.ping(utf8("payload-" + i));
      tenPongs[i] = Event.pong("payload-" + i);
    }
    return Stream.of(
        of("2.1", "ping without payload",
            Script.of().send(RawFrame.ping(new byte[0])), echoes(Event.pong(new byte[0]))),
        of("2.2", "ping with a small text payload",
            Script.of().send(RawFrame.ping(hello)), echoes(Event.pong(hello))),
        of("2.3", "ping with a small binary payload",
            Script.of().send(RawFrame.ping(SMALL_BINARY)), echoes(Event.pong(SMALL_BINARY))),
        of("2.4", "ping with a 125-byte binary payload",
            Script.of().send(RawFrame.ping(filled(125, 0xfe))),
            echoes(Event.pong(filled(125, 0xfe)))),
        of("2.5", "ping with a 126-byte payload: control frames hold at most 125",
            Script.of().send(RawFrame.ping(filled(126, 0xfe))), fails(PROTOCOL_ERROR)),
        of("2.6", "ping with a 125-byte payload, one byte per write",
            Script.of().perOctet(RawFrame.ping(filled(125, 0xfe))),
            echoes(Event.pong(filled(125, 0xfe)))),
        of("2.7", "unsolicited pong without payload is ignored",
            Script.of().send(RawFrame.pong(new byte[0])), echoes()),
        of("2.8", "unsolicited pong with payload is ignored",
            Script.of().send(RawFrame.pong(utf8("unsolicited pong payload"))), echoes()),
        of("2.9", "unsolicited pong, then a ping: only the ping is answered",
            Script.of().send(RawFrame.pong(utf8("unsolicited pong payload")),
                RawFrame.ping(utf8("ping payload"))),
            echoes(Event.pong("ping payload"))),
        of("2.10", "10 pings: 10 pongs with the same payloads, in order",
            Script.of().send(tenPings), echoes(tenPongs)),
        of("2.11", "10 pings, one byte per write",
            Script.of().perOctet(tenPings), echoes(tenPongs)));
  }

  public static Stream<ConformanceCase> reservedBits() {
    RawFrame hello = RawFrame.text("Hello, world!");
    Event echo = Event.text("Hello, world!");
    RawFrame ping = RawFrame.ping(new byte[0]);
    return Stream.of(
        of("3.1", "text message with RSV = 1",
            Script.of().send(hello.rsv(1)), fails(PROTOCOL_ERROR)),
        of("3.2", "text message, then one with RSV = 2, then a ping: echo, then failed, no pong",
            Script.of().send(hello, hello.rsv(2), ping),
            fails(PROTOCOL_ERROR).after(echo).orAfter()),
        of("3.3", "as 3.2 with RSV = 3, one write per frame",
            Script.of().perFrame(hello, hello.rsv(3), ping),
            fails(PROTOCOL_ERROR).after(echo).orAfter()),
        of("3.4", "as 3.2 with RSV = 4, one write per byte",
            Script.of().perOctet(hello, hello.rsv(4), ping),
            fails(PROTOCOL_ERROR).after(echo).orAfter()),
        of("3.5", "binary message with RSV = 5",
            Script.of().send(RawFrame.binary(SMALL_BINARY).rsv(5)), fails(PROTOCOL_ERROR)),
        of("3.6", "ping with RSV = 6: no pong",
            Script.of().send(RawFrame.ping(utf8("Hello, world!")).rsv(6)),
            fails(PROTOCOL_ERROR)),
        of("3.7", "close with RSV = 7",
            Script.of().send(RawFrame.of(RawFrame.CLOSE, new byte[0]).rsv(7)),
            fails(PROTOCOL_ERROR)));
  }

  public static Stream<ConformanceCase> reservedOpcodes() {
    List<ConformanceCase> cases = new ArrayList<>();
    addReservedOpcodes(cases, "4.1.", 3);
    addReservedOpcodes(cases, "4.2.", 11);
    return cases.stream();
  }

  /** Five cases per reserved range: alone, with a payload, and after a valid echo (3 ways). */
  private static void addReservedOpcodes(List<ConformanceCase> cases, String prefix, int first) {
    RawFrame hello = RawFrame.text("Hello, world!");
    Event echo = Event.text("Hello, world!");
    RawFrame ping = RawFrame.ping(new byte[0]);
    byte[] payload = utf8("reserved opcode payload");
    cases.add(of(prefix + 1, "frame with reserved opcode " + first,
        Script.of().send(RawFrame.of(first, new byte[0])), fails(PROTOCOL_ERROR)));
    cases.add(of(prefix + 2, "frame with reserved opcode " + (first + 1) + " and a payload",
        Script.of().send(RawFrame.of(first + 1, payload)), fails(PROTOCOL_ERROR)));
    cases.add(of(prefix + 3, "text, reserved opcode " + (first + 2) + ", ping: echo, no pong",
        Script.of().send(hello, RawFrame.of(first + 2, new byte[0]), ping),
        fails(PROTOCOL_ERROR).after(echo).orAfter()));
    for (int k = 3; k <= 4; k++) {
      int opcode = first + k;
      cases.add(of(prefix + (k + 1), "text, reserved opcode " + opcode
              + " with a payload, ping: echo, no pong",
          Script.of().send(hello, RawFrame.of(opcode, payload), ping),
          fails(PROTOCOL_ERROR).after(echo).orAfter()));
    }
  }
}
