package io.reactivews.testing;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * What every interop exchange does over an echo: offer subprotocols, send each message and wait
 * for its echo, then close with 1000. Against our server, the plan goes to the in-process JDK
 * client and, as JSON on standard input, to the child-process clients in {@code .ci/peers/};
 * against the echo servers in {@code .ci/peers/}, our client runs it.
 *
 * <p>Binary payloads are not shipped to the peers but rebuilt by them from a seed: block
 * {@code k} (32 bytes) is SHA-256 of the UTF-8 string {@code seed + ":" + k}, concatenated and
 * cut to {@code size}. That is cheap in every language and has no period a framing bug could
 * hide in.
 */
public record EchoPlan(List<String> subprotocols, long maxMessageSize, List<Planned> messages,
    int closeCode, String closeReason) {

  /** The route's subprotocols, most preferred first. */
  public static final List<String> SERVER_SUBPROTOCOLS = List.of("interop.v2", "interop.v1");

  /** 2-, 3- and 4-byte UTF-8 sequences: é, Cyrillic, CJK, an emoji (a surrogate pair in Java). */
  public static final String MULTI_BYTE = "h\u00e9llo \u043f\u0440\u0438\u0432\u0435\u0442 "
      + "\u4f60\u597d \ud83c\udf0d!";

  public static final int SIXTEEN_MIB = 16 << 20;

  /** The plan every interop test runs. */
  public static EchoPlan standard() {
    return new EchoPlan(
        // The client's order differs from the server's, so the pick shows whose preference won.
        List.of("x-unknown.v9", "interop.v1", "interop.v2"),
        32 << 20,
        List.of(
            Planned.text("", 1),
            Planned.text(MULTI_BYTE, 1),
            // ~600 KB: 4-byte characters straddle every read and frame boundary on the way.
            Planned.text(MULTI_BYTE, 20_000),
            Planned.binary("empty", 0),
            // Length encodings: 7-bit up to 125, 16-bit from 126 to 65535, 64-bit beyond.
            Planned.binary("b125", 125),
            Planned.binary("b126", 126),
            Planned.binary("b65535", 65_535),
            Planned.binary("b65536", 65_536),
            Planned.binary("sixteen-mib", SIXTEEN_MIB)),
        1000,
        "done");
  }

  /** The subprotocol the server must pick: its most preferred one among those offered. */
  public String expectedSubprotocol() {
    return SERVER_SUBPROTOCOLS.stream().filter(subprotocols::contains).findFirst().orElseThrow();
  }

  /** Indexes of the planned messages that match {@code which}, in order. */
  public List<Integer> indexesOf(Predicate<Planned> which) {
    return IntStream.range(0, messages.size())
        .filter(i -> which.test(messages.get(i))).boxed().toList();
  }

  /** The plan as one line of ASCII JSON, so no peer depends on its locale to read it. */
  public String toJson() {
    try {
      return JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build()
          .writeValueAsString(Map.of(
              "subprotocols", subprotocols,
              "maxMessageSize", maxMessageSize,
              "messages", messages.stream().map(Planned::toJsonMap).toList(),
              "close", Map.of("code", closeCode, "reason", closeReason)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One message to send: text repeated, or a generated binary payload. */
  public record Planned(boolean binary, String text, int repeat, String seed, int size) {

    public static Planned text(String text, int repeat) {
      return new Planned(false, text, repeat, null, 0);
    }

    public static Planned binary(String seed, int size) {
      return new Planned(true, null, 0, seed, size);
    }

    public String type() {
      return binary ? "binary" : "text";
    }

    public String textPayload() {
      return text.repeat(repeat);
    }

    /** The bytes on the wire: UTF-8 for text. */
    public byte[] bytes() {
      return binary ? generated(seed, size) : textPayload().getBytes(StandardCharsets.UTF_8);
    }

    public String sha256() {
      return EchoPlan.sha256(bytes());
    }

    private Map<String, Object> toJsonMap() {
      return binary
          ? Map.of("type", "binary", "seed", seed, "size", size)
          : Map.of("type", "text", "text", text, "repeat", repeat);
    }
  }

  public static byte[] generated(String seed, int size) {
    MessageDigest sha = sha256Digest();
    byte[] out = new byte[size];
    for (int k = 0, at = 0; at < size; k++, at += 32) {
      byte[] block = sha.digest((seed + ":" + k).getBytes(StandardCharsets.UTF_8));
      System.arraycopy(block, 0, out, at, Math.min(32, size - at));
    }
    return out;
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }

  public static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
