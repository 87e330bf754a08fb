package io.reactivews.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Valid and invalid UTF-8 (RFC 3629; Unicode table 3-7), written out byte by byte, with the
 * verdict a fail-fast validator must reach: valid, invalid at a given byte (the first one that
 * cannot begin or continue a well-formed sequence), or truncated (well-formed so far, but ending
 * inside a character). The cases follow the usual conformance catalogue for WebSocket text:
 * boundary code points, overlong forms, surrogates, code points past U+10FFFF, 5- and 6-byte
 * forms, lone continuation and start bytes, truncated sequences, noncharacters and specials.
 *
 * <pre>{@code
 * for (Utf8Corpus.Case c : Utf8Corpus.cases()) {
 *   assertEquals(c.badIndex(), new Utf8Validator().feed(c.bytes(), 0, c.bytes().length));
 * }
 * }</pre>
 */
public final class Utf8Corpus {

  /** What a validator must conclude about a case. */
  public enum Verdict {
    VALID,
    /** Fails at {@link Case#badIndex()}, however the bytes are split. */
    INVALID,
    /** Every byte is acceptable, but the text stops inside a character. */
    TRUNCATED
  }

  /**
   * One case.
   *
   * @param description what the bytes are
   * @param bytes the bytes
   * @param verdict the verdict
   * @param badIndex the first unacceptable byte when {@link Verdict#INVALID}, else -1
   */
  public record Case(String description, byte[] bytes, Verdict verdict, int badIndex) {
    @Override
    public String toString() {
      return description + " [" + Bytes.toHex(bytes) + "] " + verdict
          + (verdict == Verdict.INVALID ? " at " + badIndex : "");
    }
  }

  private static final List<Case> CASES = build();

  private Utf8Corpus() {}

  /** Every case, valid ones first. */
  public static List<Case> cases() {
    return CASES;
  }

  /** The cases with {@code verdict}. */
  public static List<Case> cases(Verdict verdict) {
    return CASES.stream().filter(c -> c.verdict() == verdict).toList();
  }

  private static List<Case> build() {
    List<Case> c = new ArrayList<>();
    // Valid text.
    valid(c, "empty", "");
    valid(c, "Hello-µ@ßöäüàá-UTF-8!!",
        "48 65 6c 6c 6f 2d c2 b5 40 c3 9f c3 b6 c3 a4 c3 bc c3 a0 c3 a1 2d 55 54 46 2d 38 21 21");
    valid(c, "κόσμε", "ce ba e1 bd b9 cf 83 ce bc ce b5");
    valid(c, "κ", "ce ba");
    valid(c, "κό", "ce ba e1 bd b9");
    valid(c, "κόσ", "ce ba e1 bd b9 cf 83");
    valid(c, "κόσμ", "ce ba e1 bd b9 cf 83 ce bc");
    valid(c, "ASCII then a 4-byte character", "61 62 63 64 65 66 67 68 f0 9f 98 80");
    // First and last code points of each length.
    valid(c, "U+0000, first 1-byte", "00");
    valid(c, "U+0080, first 2-byte", "c2 80");
    valid(c, "U+0800, first 3-byte", "e0 a0 80");
    valid(c, "U+10000, first 4-byte", "f0 90 80 80");
    valid(c, "U+007F, last 1-byte", "7f");
    valid(c, "U+07FF, last 2-byte", "df bf");
    valid(c, "U+FFFF, last 3-byte", "ef bf bf");
    valid(c, "U+10FFFF, last code point", "f4 8f bf bf");
    // Other boundaries.
    valid(c, "U+D7FF, just below the surrogates", "ed 9f bf");
    valid(c, "U+E000, just above the surrogates", "ee 80 80");
    valid(c, "U+FFFD, replacement character", "ef bf bd");
    // Noncharacters are well-formed: U+FFFE, U+FFFF and the last two of every plane.
    valid(c, "U+FFFE", "ef bf be");
    String[] planes = {"f0 9f", "f0 af", "f0 bf", "f1 8f", "f1 9f", "f1 af", "f1 bf", "f2 8f",
        "f2 9f", "f2 af", "f2 bf", "f3 8f", "f3 9f", "f3 af", "f3 bf", "f4 8f"};
    for (int plane = 1; plane <= 16; plane++) {
      String p = planes[plane - 1];
      valid(c, "U+" + Integer.toHexString(plane).toUpperCase() + "FFFE", p + " bf be");
      valid(c, "U+" + Integer.toHexString(plane).toUpperCase() + "FFFF", p + " bf bf");
    }
    valid(c, "U+FDD0, noncharacter", "ef b7 90");
    valid(c, "U+FDEF, noncharacter", "ef b7 af");
    // Specials U+FFF9 to U+FFFD.
    valid(c, "U+FFF9", "ef bf b9");
    valid(c, "U+FFFA", "ef bf ba");
    valid(c, "U+FFFB", "ef bf bb");
    valid(c, "U+FFFC", "ef bf bc");

    // Truncated: fine so far, but the text ends inside a character.
    truncated(c, "κόσμε cut after 1 byte", "ce");
    truncated(c, "κόσμε cut after 3 bytes", "ce ba e1");
    truncated(c, "κόσμε cut after 4 bytes", "ce ba e1 bd");
    truncated(c, "κόσμε cut after 6 bytes", "ce ba e1 bd b9 cf");
    truncated(c, "κόσμε cut after 8 bytes", "ce ba e1 bd b9 cf 83 ce");
    truncated(c, "κόσμε cut after 10 bytes", "ce ba e1 bd b9 cf 83 ce bc ce");
    truncated(c, "U+07FF without its last byte", "df");
    truncated(c, "U+FFFF without its last byte", "ef bf");
    truncated(c, "U+0080 without its last byte", "c2");
    truncated(c, "3-byte lead alone", "e1");
    truncated(c, "3-byte sequence missing one byte", "e1 80");
    truncated(c, "4-byte lead alone", "f1");
    truncated(c, "U+10000 without its last byte", "f0 90 80");
    truncated(c, "U+10FFFF without its last byte", "f4 8f bf");
    truncated(c, "ASCII then a cut 2-byte character", "61 62 63 64 65 66 67 c2");

    // Invalid, with the first byte that cannot be accepted.
    invalid(c, "κόσμε then a surrogate, then 'edited'",
        "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64", 12);
    invalid(c, "κόσμε then U+110000, then 'edited'",
        "ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80 65 64 69 74 65 64", 12);
    invalid(c, "first 5-byte form", "f8 88 80 80 80", 0);
    invalid(c, "first 6-byte form", "fc 84 80 80 80 80", 0);
    invalid(c, "last 4-byte form, past U+10FFFF", "f7 bf bf bf", 0);
    invalid(c, "last 5-byte form", "fb bf bf bf bf", 0);
    invalid(c, "last 6-byte form", "fd bf bf bf bf bf", 0);
    invalid(c, "U+110000, just past the last code point", "f4 90 80 80", 1);
    invalid(c, "lead byte F5", "f5 80 80 80", 0);
    // Unexpected continuation bytes.
    invalid(c, "lone 80", "80", 0);
    invalid(c, "lone BF", "bf", 0);
    invalid(c, "2 continuation bytes", "80 bf", 0);
    invalid(c, "3 continuation bytes", "80 bf 80", 0);
    invalid(c, "4 continuation bytes", "80 bf 80 bf", 0);
    invalid(c, "5 continuation bytes", "80 bf 80 bf 80", 0);
    invalid(c, "6 continuation bytes", "80 bf 80 bf 80 bf", 0);
    invalid(c, "7 continuation bytes", "80 bf 80 bf 80 bf 80", 0);
    invalid(c, "all 64 continuation bytes", range(0x80, 0xbf, ""), 0);
    invalid(c, "ASCII then a continuation byte", "41 80", 1);
    invalid(c, "U+0080 then a continuation byte", "c2 80 80", 2);
    invalid(c, "16 ASCII bytes then a continuation byte",
        "30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 80", 16);
    // Start bytes followed by a space.
    invalid(c, "each of C0-DF followed by a space", range(0xc0, 0xdf, " 20"), 0);
    invalid(c, "each of C2-DF followed by a space", range(0xc2, 0xdf, " 20"), 1);
    invalid(c, "each of E0-EF followed by a space", range(0xe0, 0xef, " 20"), 1);
    invalid(c, "each of F0-F7 followed by a space", range(0xf0, 0xf7, " 20"), 1);
    invalid(c, "each of F8-FB followed by a space", range(0xf8, 0xfb, " 20"), 0);
    invalid(c, "each of FC-FD followed by a space", range(0xfc, 0xfd, " 20"), 0);
    invalid(c, "2-byte lead then ASCII", "c2 41", 1);
    invalid(c, "3-byte sequence cut by ASCII", "e1 80 41", 2);
    invalid(c, "4-byte sequence cut by ASCII", "f0 90 80 41", 3);
    // Sequences with their last byte missing that can never have been valid.
    invalid(c, "C0 alone", "c0", 0);
    invalid(c, "overlong 3-byte form missing a byte", "e0 80", 1);
    invalid(c, "overlong 4-byte form missing a byte", "f0 80 80", 1);
    invalid(c, "5-byte form missing a byte", "f8 80 80 80", 0);
    invalid(c, "6-byte form missing a byte", "fc 80 80 80 80", 0);
    invalid(c, "F7 form missing a byte", "f7 bf bf", 0);
    invalid(c, "FB form missing a byte", "fb bf bf bf", 0);
    invalid(c, "FD form missing a byte", "fd bf bf bf bf", 0);
    invalid(c, "all of the above, concatenated",
        "c0 e0 80 f0 80 80 f8 80 80 80 fc 80 80 80 80 df ef bf f7 bf bf fb bf bf bf fd bf bf bf bf",
        0);
    // Bytes that never appear.
    invalid(c, "FE", "fe", 0);
    invalid(c, "FF", "ff", 0);
    invalid(c, "FE FE FF FF", "fe fe ff ff", 0);
    // Overlong '/'.
    invalid(c, "'/' in 2 bytes", "c0 af", 0);
    invalid(c, "'/' in 3 bytes", "e0 80 af", 1);
    invalid(c, "'/' in 4 bytes", "f0 80 80 af", 1);
    invalid(c, "'/' in 5 bytes", "f8 80 80 80 af", 0);
    invalid(c, "'/' in 6 bytes", "fc 80 80 80 80 af", 0);
    // The largest overlong of each length.
    invalid(c, "U+007F in 2 bytes", "c1 bf", 0);
    invalid(c, "U+07FF in 3 bytes", "e0 9f bf", 1);
    invalid(c, "U+FFFF in 4 bytes", "f0 8f bf bf", 1);
    invalid(c, "U+1FFFFF in 5 bytes", "f8 87 bf bf bf", 0);
    invalid(c, "U+3FFFFFF in 6 bytes", "fc 83 bf bf bf bf", 0);
    // Overlong NUL.
    invalid(c, "NUL in 2 bytes", "c0 80", 0);
    invalid(c, "NUL in 3 bytes", "e0 80 80", 1);
    invalid(c, "NUL in 4 bytes", "f0 80 80 80", 1);
    invalid(c, "NUL in 5 bytes", "f8 80 80 80 80", 0);
    invalid(c, "NUL in 6 bytes", "fc 80 80 80 80 80", 0);
    // Single UTF-16 surrogates.
    invalid(c, "U+D800", "ed a0 80", 1);
    invalid(c, "U+DB7F", "ed ad bf", 1);
    invalid(c, "U+DB80", "ed ae 80", 1);
    invalid(c, "U+DBFF", "ed af bf", 1);
    invalid(c, "U+DC00", "ed b0 80", 1);
    invalid(c, "U+DF80", "ed be 80", 1);
    invalid(c, "U+DFFF", "ed bf bf", 1);
    invalid(c, "8 ASCII bytes then U+D800", "61 62 63 64 65 66 67 68 ed a0 80", 9);
    // Paired UTF-16 surrogates.
    invalid(c, "U+D800 U+DC00", "ed a0 80 ed b0 80", 1);
    invalid(c, "U+D800 U+DFFF", "ed a0 80 ed bf bf", 1);
    invalid(c, "U+DB7F U+DC00", "ed ad bf ed b0 80", 1);
    invalid(c, "U+DB7F U+DFFF", "ed ad bf ed bf bf", 1);
    invalid(c, "U+DB80 U+DC00", "ed ae 80 ed b0 80", 1);
    invalid(c, "U+DB80 U+DFFF", "ed ae 80 ed bf bf", 1);
    invalid(c, "U+DBFF U+DC00", "ed af bf ed b0 80", 1);
    invalid(c, "U+DBFF U+DFFF", "ed af bf ed bf bf", 1);
    return List.copyOf(c);
  }

  private static String range(int from, int to, String after) {
    StringBuilder sb = new StringBuilder();
    for (int b = from; b <= to; b++) {
      sb.append(String.format("%02x", b)).append(after).append(' ');
    }
    return sb.toString();
  }

  private static void valid(List<Case> c, String description, String hex) {
    c.add(new Case(description, Bytes.hex(hex), Verdict.VALID, -1));
  }

  private static void truncated(List<Case> c, String description, String hex) {
    c.add(new Case(description, Bytes.hex(hex), Verdict.TRUNCATED, -1));
  }

  private static void invalid(List<Case> c, String description, String hex, int badIndex) {
    c.add(new Case(description, Bytes.hex(hex), Verdict.INVALID, badIndex));
  }
}
