package io.reactivews.core.deflate;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;

import io.reactivews.core.Role;
import io.reactivews.core.handshake.WebSocketExtension;
import java.util.ArrayList;
import java.util.List;

/**
 * Negotiation of permessage-deflate in the opening handshake (RFC 7692 section 7.1), for both
 * roles, with no I/O: offers and answers in, parameters and header elements out.
 *
 * <pre>{@code
 * // server
 * DeflateNegotiation.Result r = DeflateNegotiation.answer(request.extensions(), options);
 * ServerHandshake.accept(request, sub, r.responses());   // r.agreed() is null when declined
 * // client
 * ClientHandshake spec = spec.extensions(DeflateNegotiation.offer(options));
 * DeflateParameters agreed = DeflateNegotiation.check(response.extensions(), options);
 * }</pre>
 *
 * <p><b>Windows.</b> The JDK's {@code Deflater} always uses a 15-bit window. An offer that
 * limits our compressor's window ({@code server_max_window_bits} below 15 when we serve, a
 * {@code client_max_window_bits} answer below 15 when we are the client) is honoured, not
 * declined: messages we send to that peer are compressed with Huffman coding only. Such a
 * stream has no back-references at all, so any window decodes it; the ratio is lower (entropy
 * coding alone), but the peer still gets compression and the offer it asked for. Limits on the
 * peer's window are always fine: our {@code Inflater} takes any window up to 15 bits.
 *
 * <p><b>Offers a server declines</b> (and the next one is tried, then none): an offer with an
 * unknown parameter, a repeated parameter, a value where none belongs, a window value that is not
 * 8 to 15 (section 7.1: "MUST decline"); the reason is kept in {@link Result#declined()}.
 * A declined offer is not an error: the connection opens without compression.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeflateNegotiation {

  private DeflateNegotiation() {}

  /**
   * What a server answers: the agreed parameters (null when nothing was accepted), the element
   * to put in {@code Sec-WebSocket-Extensions} (empty list when none), and why offers were
   * declined.
   */
  public record Result(DeflateParameters agreed, List<WebSocketExtension> responses,
      List<String> declined) {}

  /**
   * The server's answer to a client's offers: the first acceptable permessage-deflate offer,
   * answered with {@code server_no_context_takeover; client_no_context_takeover} unless {@code
   * options} keep context (then only what the offer asks for), and {@code
   * server_max_window_bits} echoed when the offer asks for it.
   */
  public static Result answer(List<WebSocketExtension> offers, DeflateOptions options) {
    List<String> declined = new ArrayList<>(0);
    if (!options.isEnabled()) {
      return new Result(null, List.of(), declined);
    }
    for (WebSocketExtension offer : offers) {
      if (!offer.name().equalsIgnoreCase(DeflateParameters.NAME)) {
        continue;
      }
      DeflateParameters asked;
      try {
        asked = DeflateParameters.parse(offer);
      } catch (IllegalArgumentException e) {
        declined.add("declined offer \"" + offer + "\": " + e.getMessage());
        continue;
      }
      // Without context takeover we may say both (sections 7.1.1.1 and 7.1.1.2) and keep no
      // zlib state between messages; with it, we still echo the client's own promise, which
      // lets us pool the inflater at no cost to the client.
      boolean serverNoContext = asked.serverNoContextTakeover() || !options.contextTakeover();
      boolean clientNoContext = asked.clientNoContextTakeover() || !options.contextTakeover();
      DeflateParameters agreed = new DeflateParameters(serverNoContext, clientNoContext,
          asked.serverMaxWindowBits(), DeflateParameters.ABSENT);
      return new Result(agreed, List.of(agreed.toExtension()), declined);
    }
    return new Result(null, List.of(), declined);
  }

  /**
   * The client's offer: {@code permessage-deflate; client_max_window_bits}, saying the client
   * can limit its window if the server asks (RFC 7692 section 7.1.2.2); null when disabled.
   */
  public static WebSocketExtension offer(DeflateOptions options) {
    if (!options.isEnabled()) {
      return null;
    }
    return WebSocketExtension.of(DeflateParameters.NAME)
        .withParameter(DeflateParameters.CLIENT_BITS);
  }

  /**
   * Checks a server's answer to {@link #offer}: at most one permessage-deflate element, with
   * valid parameters only, and a {@code client_max_window_bits} only as a value (section
   * 7.1.2.2).
   *
   * @return the agreed parameters, or null when the server did not accept compression
   * @throws IllegalArgumentException saying what is wrong with the answer
   */
  public static DeflateParameters check(List<WebSocketExtension> answers, DeflateOptions options) {
    DeflateParameters agreed = null;
    for (WebSocketExtension e : answers) {
      if (!e.name().equalsIgnoreCase(DeflateParameters.NAME)) {
        continue;
      }
      if (!options.isEnabled()) {
        throw new IllegalArgumentException("server accepted " + DeflateParameters.NAME
            + ", which was not offered");
      }
      if (agreed != null) {
        throw new IllegalArgumentException("server accepted " + DeflateParameters.NAME
            + " twice");
      }
      try {
        agreed = DeflateParameters.parse(e);
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("server's " + DeflateParameters.NAME
            + " answer is invalid: " + bad.getMessage());
      }
      if (agreed.clientMaxWindowBits() == DeflateParameters.NO_VALUE) {
        throw new IllegalArgumentException("server's " + DeflateParameters.NAME
            + " answer has client_max_window_bits without a value");
      }
    }
    return agreed;
  }

  /** Whether the compressor of {@code role} keeps no context, as agreed or as we prefer. */
  static boolean resetsAfterEachMessage(
      Role role, DeflateParameters agreed, DeflateOptions options) {
    boolean required = role == Role.SERVER
        ? agreed.serverNoContextTakeover() : agreed.clientNoContextTakeover();
    return required || !options.contextTakeover();
  }

  /** Whether the compressor of {@code role} must keep to a window under 15 bits. */
  static boolean limitsWindow(Role role, DeflateParameters agreed) {
    int bits = role == Role.SERVER ? agreed.serverWindow() : agreed.clientWindow();
    return bits < DeflateParameters.MAX_WINDOW_BITS;
  }

  /** Whether the peer of {@code role} promised to reset its compressor after each message. */
  static boolean peerResets(Role role, DeflateParameters agreed) {
    return role == Role.SERVER
        ? agreed.clientNoContextTakeover() : agreed.serverNoContextTakeover();
  }
}
