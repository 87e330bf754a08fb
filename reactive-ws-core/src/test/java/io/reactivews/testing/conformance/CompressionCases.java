package io.reactivews.testing.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Suite categories 12 and 13 (permessage-deflate, RFC 7692) as data, for either end: 216 cases,
 * each echoing a run of compressed messages of one size, whole or in fragments, under one set of
 * negotiated parameters. Played by {@link CompressionCaseRunner}.
 *
 * <p>12.1-12.5 vary the payload (structured JSON, a bitmap, German prose, HTML, a binary
 * document) under the suite's default offer; 13.1-13.7 send JSON under the seven parameter sets
 * of the suite. In each sub-category, cases 1-10 send whole messages of 16 bytes to 128 KiB and
 * cases 11-18 send 8 KiB to 128 KiB in fragments of 256 bytes to 32 KiB (the peer's
 * compressed payload, cut as the suite's auto-fragmentation cuts it).
 *
 * <p>Where this port differs from the suite: it sends at most about 256 KiB per case (the suite
 * sends 1,000 messages, 100 for 128 KiB) so that both roles run all 216 cases in seconds, but
 * never fewer than 4 messages, so that context takeover across messages is exercised; and the
 * payloads are generated (same seed, same bytes) rather than read from the suite's files.
 */
public final class CompressionCases {

  /** Payloads of each sub-category, as the suite names them. */
  public enum Payload {
    JSON(true, "large JSON data (UTF-8)"),
    BITMAP(false, "a bitmap picture"),
    PROSE(true, "human readable text, German (UTF-8)"),
    HTML(true, "a large HTML file"),
    DOCUMENT(false, "a binary document");

    final boolean text;
    final String description;

    Payload(boolean text, String description) {
      this.text = text;
      this.description = description;
    }
  }

  /**
   * What the peer offers and answers: {@code noContext} asks the other end not to keep
   * context, {@code windowBits} (0: not asked) limits the other end's window. The suite's
   * (requestNoContextTakeover, requestMaxWindowBits) pairs.
   */
  public record Request(boolean noContext, int windowBits) {}

  /** One case: payload, size, message count, fragment size (0: whole), the peer's requests. */
  public record CompressionCase(String id, Payload payload, int size, int count, int fragment,
      List<Request> requests) {

    /** The payload of message {@code i}: a slice of the payload's corpus of about {@code size}. */
    public byte[] message(int i) {
      return corpus(payload).slice(i, size);
    }

    public boolean isText() {
      return payload.text;
    }

    /**
     * The peer's offer when it plays the client: the suite always says the client will keep to
     * no context and accepts a window limit, then adds what it requests of the server.
     */
    public String clientOffer() {
      List<String> offers = new ArrayList<>();
      for (Request r : requests) {
        StringBuilder sb = new StringBuilder(
            "permessage-deflate; client_no_context_takeover; client_max_window_bits");
        if (r.noContext()) {
          sb.append("; server_no_context_takeover");
        }
        if (r.windowBits() != 0) {
          sb.append("; server_max_window_bits=").append(r.windowBits());
        }
        offers.add(sb.toString());
      }
      return String.join(", ", offers);
    }

    /**
     * The peer's answer when it plays the server, to a client that offered {@code
     * client_max_window_bits}: its first request, as limits on the client.
     */
    public String serverAnswer() {
      Request r = requests.get(0);
      StringBuilder sb = new StringBuilder("permessage-deflate");
      if (r.noContext()) {
        sb.append("; client_no_context_takeover");
      }
      if (r.windowBits() != 0) {
        sb.append("; client_max_window_bits=").append(r.windowBits());
      }
      return sb.toString();
    }

    @Override
    public String toString() {
      return id + " " + count + " compressed " + (payload.text ? "text" : "binary")
          + " messages of " + size + " bytes (" + payload.description + ")"
          + (fragment == 0 ? "" : " in fragments of " + fragment) + ", requests " + requests;
    }
  }

  /** The suite's sizes, message counts and fragment sizes of cases 1-18 of a sub-category. */
  private static final int[][] SIZES = {
      {16, 1000, 0}, {64, 1000, 0}, {256, 1000, 0}, {1024, 1000, 0}, {4096, 1000, 0},
      {8192, 1000, 0}, {16384, 1000, 0}, {32768, 1000, 0}, {65536, 1000, 0}, {131072, 100, 0},
      {8192, 1000, 256}, {16384, 1000, 256}, {32768, 1000, 256}, {65536, 1000, 256},
      {131072, 100, 256}, {131072, 100, 1024}, {131072, 100, 4096}, {131072, 100, 32768}};

  /** About this many payload bytes per case. */
  private static final int BYTES_PER_CASE = 256 * 1024;

  private static final List<List<Request>> PARAMETER_SETS = List.of(
      List.of(new Request(false, 0)),
      List.of(new Request(true, 0)),
      List.of(new Request(false, 8)),
      List.of(new Request(false, 15)),
      List.of(new Request(true, 8)),
      List.of(new Request(true, 15)),
      List.of(new Request(true, 8), new Request(true, 0), new Request(false, 0)));

  private CompressionCases() {}

  /** Category 12: each payload under the default offer. */
  public static Stream<CompressionCase> payloads() {
    List<CompressionCase> cases = new ArrayList<>();
    Payload[] kinds = Payload.values();
    for (int k = 0; k < kinds.length; k++) {
      addAll(cases, "12." + (k + 1), kinds[k], PARAMETER_SETS.get(0));
    }
    return cases.stream();
  }

  /** Category 13: JSON under each of the suite's parameter sets. */
  public static Stream<CompressionCase> parameters() {
    List<CompressionCase> cases = new ArrayList<>();
    for (int p = 0; p < PARAMETER_SETS.size(); p++) {
      addAll(cases, "13." + (p + 1), Payload.JSON, PARAMETER_SETS.get(p));
    }
    return cases.stream();
  }

  public static Stream<CompressionCase> all() {
    return Stream.concat(payloads(), parameters());
  }

  private static void addAll(List<CompressionCase> cases, String prefix, Payload payload,
      List<Request> requests) {
    for (int i = 0; i < SIZES.length; i++) {
      int size = SIZES[i][0];
      int count = Math.max(4, Math.min(SIZES[i][1], BYTES_PER_CASE / size));
      cases.add(new CompressionCase(prefix + "." + (i + 1), payload, size, count, SIZES[i][2],
          requests));
    }
  }

  // ----- payloads: generated once per kind, deterministic -----

  private static final Corpus[] CORPORA = new Corpus[Payload.values().length];

  static synchronized Corpus corpus(Payload payload) {
    Corpus c = CORPORA[payload.ordinal()];
    if (c == null) {
      c = new Corpus(generate(payload, 512 * 1024), payload.text);
      CORPORA[payload.ordinal()] = c;
    }
    return c;
  }

  /** A long sample of a kind of payload, from which messages are sliced. */
  record Corpus(byte[] bytes, boolean text) {

    /** About {@code size} bytes from an offset that moves with {@code i}; whole characters. */
    byte[] slice(int i, int size) {
      int from = (int) ((i * 7919L) % (bytes.length - size - 8));
      int to = from + size;
      if (text) {
        while (from > 0 && (bytes[from] & 0xC0) == 0x80) {
          from--;
        }
        while (to < bytes.length && (bytes[to] & 0xC0) == 0x80) {
          to++;
        }
      }
      byte[] out = new byte[to - from];
      System.arraycopy(bytes, from, out, 0, out.length);
      return out;
    }
  }

  private static final String[] WORDS = {"Habe", "nun", "ach", "Philosophie", "Juristerei",
      "und", "Medizin", "leider", "auch", "Theologie", "durchaus", "studiert", "mit", "heißem",
      "Bemühn", "da", "steh", "ich", "armer", "Tor", "bin", "so", "klug", "als", "wie", "zuvor",
      "Größe", "Ärger", "Übel", "süß", "Straße", "schön", "Glück"};

  private static byte[] generate(Payload payload, int length) {
    SplittableRandom random = new SplittableRandom(0x7692L + payload.ordinal());
    StringBuilder sb = new StringBuilder(length + 1024);
    switch (payload) {
      case JSON -> {
        sb.append('[');
        for (int i = 0; sb.length() < length; i++) {
          sb.append("{\"id\":").append(i).append(",\"player\":\"")
              .append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(1000))
              .append("\",\"score\":").append(random.nextInt(100000))
              .append(",\"alive\":").append(random.nextBoolean())
              .append(",\"pos\":[").append(random.nextInt(4096)).append(',')
              .append(random.nextInt(4096)).append("]},");
        }
        return sb.append("{}]").toString().getBytes(StandardCharsets.UTF_8);
      }
      case PROSE -> {
        while (sb.length() < length) {
          sb.append(WORDS[random.nextInt(WORDS.length)])
              .append(random.nextInt(12) == 0 ? ".\n" : " ");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
      }
      case HTML -> {
        while (sb.length() < length) {
          sb.append("<tr class=\"row\"><td>").append(random.nextInt(10000))
              .append("</td><td><a href=\"/p/").append(WORDS[random.nextInt(WORDS.length)])
              .append("\">").append(WORDS[random.nextInt(WORDS.length)])
              .append("</a></td></tr>\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
      }
      case BITMAP -> {
        // Runs of black and white pixels with noise: compresses well, as a scan does.
        byte[] b = new byte[length];
        int at = 0;
        while (at < length) {
          int run = 1 + random.nextInt(64);
          byte v = random.nextInt(8) == 0 ? (byte) random.nextInt(256)
              : random.nextBoolean() ? 0 : (byte) 0xff;
          for (int j = 0; j < run && at < length; j++) {
            b[at++] = v;
          }
        }
        return b;
      }
      case DOCUMENT -> {
        // Text streams between random (already compressed) streams: compresses partly.
        byte[] b = new byte[length];
        int at = 0;
        while (at < length) {
          boolean noise = random.nextInt(3) == 0;
          int run = 256 + random.nextInt(2048);
          byte[] words = (WORDS[random.nextInt(WORDS.length)] + " 0 obj << /Length "
              + random.nextInt(9999) + " >> stream ").getBytes(StandardCharsets.UTF_8);
          for (int j = 0; j < run && at < length; j++) {
            b[at++] = noise ? (byte) random.nextInt(256) : words[j % words.length];
          }
        }
        return b;
      }
      default -> throw new AssertionError(payload);
    }
  }
}
