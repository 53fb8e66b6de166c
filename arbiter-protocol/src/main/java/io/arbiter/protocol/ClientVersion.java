package io.arbiter.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The SDK version a client announced in its {@code RegisterTMRequest}/{@code RegisterRMRequest}, ordered the way
 * Seata orders versions ({@code org.apache.seata.core.protocol.Version.convertVersion}).
 *
 * <p>Seata's rule: split the string on {@code '.'} (empty pieces dropped), allow at most 4 parts; the 1-based part
 * {@code i} contributes {@code number * 100^(4-i)}. A part that is not all digits contributes the number before its
 * first {@code '-'} (so {@code "0-SNAPSHOT"} counts as 0), or nothing if that is not numeric either. Hence
 * {@code "2.3.0-SNAPSHOT"} equals {@code "2.3.0"}, and {@code "2.0"} equals {@code "2.0.0"}.
 *
 * <p>Unparseable strings (null, blank, more than 4 parts, a number too large, or no numeric major part such as
 * {@code "abc"} or {@code "v2.0"}) are treated as {@link #LATEST}: newer than every real version. (Seata itself
 * would give such strings the value 0 or -1; we prefer to assume the newest wire behaviour.)
 *
 * <p>Equality and ordering use only the numeric value; {@link #toString()} returns the original text.
 * Immutable and thread-safe.
 */
public final class ClientVersion implements Comparable<ClientVersion> {

    private static final long LATEST_VALUE = Long.MAX_VALUE;
    private static final int MAX_PARTS = 4;
    private static final int MAX_PART_DIGITS = 9;

    /** Newer than any real version; used for unknown/garbage version strings and as the decoding default. */
    public static final ClientVersion LATEST = new ClientVersion("latest", LATEST_VALUE);
    /** MergedWarpMessage msgIds trailer, BatchResultMessage, GlobalStatus 16-17, BranchStatus 11-12, exception ordinal 19. */
    public static final ClientVersion V1_5_0 = parse("1.5.0");
    /** TransactionExceptionCode ordinals 20-22 (TransactionTimeout, CommitHeuristic, Broken) in the 1.x table. */
    public static final ClientVersion V1_7_0 = parse("1.7.0");
    /** The 2.x TransactionExceptionCode table (NotRaftLeader inserted at ordinal 19). */
    public static final ClientVersion V2_0_0 = parse("2.0.0");
    /** BranchStatus 13 PhaseOne_RDONLY. */
    public static final ClientVersion V2_2_0 = parse("2.2.0");
    /**
     * GlobalStatus 18-20, BranchStatus 14 and BranchType 4 (SAGA_ANNOTATION). They are absent from 2.2.0 and present
     * in the 2.5.0 jar; whether 2.3/2.4 already had them is unverified, so we conservatively require 2.5.0.
     */
    public static final ClientVersion V2_5_0 = parse("2.5.0");

    private final String text;
    private final long value;

    private ClientVersion(String text, long value) {
        this.text = text;
        this.value = value;
    }

    /**
     * Parses a client version string such as {@code "1.8.0"}, {@code "2.0.0"} or {@code "2.3.0-SNAPSHOT"}.
     * Never throws; garbage yields a version equal to {@link #LATEST} (keeping the original text).
     */
    public static ClientVersion parse(String version) {
        if (version == null || version.isBlank()) {
            return LATEST;
        }
        List<String> parts = splitDropEmpty(version, '.');
        if (parts.isEmpty() || parts.size() > MAX_PARTS) {
            return garbage(version);
        }
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            String number = numericPart(parts.get(i));
            if (number == null) {
                if (i == 0) {
                    return garbage(version);
                }
                continue;
            }
            if (number.length() > MAX_PART_DIGITS) {
                return garbage(version);
            }
            total += Long.parseLong(number) * pow100(MAX_PARTS - (i + 1));
        }
        return new ClientVersion(version, total);
    }

    private static ClientVersion garbage(String text) {
        return new ClientVersion(text, LATEST_VALUE);
    }

    private static String numericPart(String part) {
        if (isDigits(part)) {
            return part;
        }
        List<String> pieces = splitDropEmpty(part, '-');
        if (!pieces.isEmpty() && isDigits(pieces.get(0))) {
            return pieces.get(0);
        }
        return null;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static List<String> splitDropEmpty(String s, char separator) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == separator) {
                if (i > start) {
                    out.add(s.substring(start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static long pow100(int exponent) {
        long r = 1;
        for (int i = 0; i < exponent; i++) {
            r *= 100;
        }
        return r;
    }

    /** True if this is {@link #LATEST} or an unparseable string treated as latest. */
    public boolean isLatest() {
        return value == LATEST_VALUE;
    }

    /** True if this version is the same as or newer than {@code other}. */
    public boolean isAtLeast(ClientVersion other) {
        return value >= other.value;
    }

    /** True if this version is strictly older than {@code other}. */
    public boolean isBefore(ClientVersion other) {
        return value < other.value;
    }

    /** Seata's numeric version value ({@code Long.MAX_VALUE} for latest/garbage). */
    public long numericValue() {
        return value;
    }

    /** The text this version was parsed from ({@code "latest"} for {@link #LATEST}). */
    public String text() {
        return text;
    }

    @Override
    public int compareTo(ClientVersion o) {
        return Long.compare(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientVersion other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return text;
    }
}
