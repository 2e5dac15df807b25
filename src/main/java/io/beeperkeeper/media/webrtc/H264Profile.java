package io.beeperkeeper.media.webrtc;

import java.util.Locale;

/**
 * An H.264 {@code profile-level-id} (RFC 6184 section 8.1: profile_idc, constraint flags, level_idc as
 * six hex digits) reduced to the profile it names, so a camera's SPS can be matched against the
 * payload types a browser offers. The profile classification follows RFC 6184 table 5 (the same one
 * browsers use), e.g. {@code 42e01f} and {@code 4d801f} are both Constrained Baseline.
 */
record H264Profile(Profile profile, int profileIdc, int constraints, int levelIdc) {
    public enum Profile { CONSTRAINED_BASELINE, BASELINE, MAIN, EXTENDED, CONSTRAINED_HIGH, HIGH, HIGH_10, HIGH_422, HIGH_444, OTHER }

    /** From an SPS NAL unit (header byte, then profile_idc, constraint flags, level_idc). */
    public static H264Profile fromSps(byte[] sps) {
        if (sps.length < 4) {
            throw new IllegalArgumentException("SPS too short");
        }
        return of(sps[1] & 0xFF, sps[2] & 0xFF, sps[3] & 0xFF);
    }

    /** From the fmtp value, e.g. {@code 42e01f}. */
    public static H264Profile parse(String hex) {
        if (hex == null || !hex.matches("[0-9A-Fa-f]{6}")) {
            throw new IllegalArgumentException("profile-level-id must be 6 hex digits, got " + hex);
        }
        int v = Integer.parseInt(hex, 16);
        return of(v >> 16, (v >> 8) & 0xFF, v & 0xFF);
    }

    static H264Profile of(int profileIdc, int constraints, int levelIdc) {
        boolean set0 = (constraints & 0x80) != 0;
        boolean set1 = (constraints & 0x40) != 0;
        boolean set3 = (constraints & 0x10) != 0;
        boolean set4 = (constraints & 0x08) != 0;
        boolean set5 = (constraints & 0x04) != 0;
        Profile p = switch (profileIdc) {
            case 0x42 -> set1 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE;
            case 0x4D -> set0 ? Profile.CONSTRAINED_BASELINE : Profile.MAIN;
            case 0x58 -> set0 && set1 ? Profile.CONSTRAINED_BASELINE : set1 ? Profile.MAIN : Profile.EXTENDED;
            case 0x64 -> set4 && set5 ? Profile.CONSTRAINED_HIGH : Profile.HIGH;
            case 0x6E -> Profile.HIGH_10;
            case 0x7A -> Profile.HIGH_422;
            case 0xF4 -> Profile.HIGH_444;
            default -> Profile.OTHER;
        };
        if (set3 && profileIdc == 0x42 && levelIdc == 11) {
            levelIdc = 9; // level 1b
        }
        return new H264Profile(p, profileIdc, constraints, levelIdc);
    }

    /**
     * How well a decoder announced with {@code decoder} plays a stream of this profile: 0 = exactly this
     * profile, higher = a superset profile (still decodes it), -1 = cannot.
     */
    public int decodableBy(H264Profile decoder) {
        if (decoder.profile == profile) {
            return 0;
        }
        int mine = rank(profile);
        int theirs = rank(decoder.profile);
        if (mine < 0 || theirs < 0) {
            return -1;
        }
        // Each profile in this chain is a subset of the next ones (CB < Main < ConstrainedHigh < High <
        // High10 < High422 < High444); Baseline decoders play Constrained Baseline, nothing more.
        if (decoder.profile == Profile.BASELINE) {
            return profile == Profile.CONSTRAINED_BASELINE ? 1 : -1;
        }
        if (profile == Profile.BASELINE) {
            return -1; // FMO/ASO: only a Baseline decoder
        }
        return theirs > mine ? theirs - mine : -1;
    }

    private static int rank(Profile p) {
        return switch (p) {
            case CONSTRAINED_BASELINE -> 0;
            case BASELINE -> 1;
            case MAIN -> 2;
            case CONSTRAINED_HIGH -> 3;
            case HIGH -> 4;
            case HIGH_10 -> 5;
            case HIGH_422 -> 6;
            case HIGH_444 -> 7;
            default -> -1;
        };
    }

    /** Six lower-case hex digits as in {@code profile-level-id}. */
    public String hex() {
        return String.format(Locale.ROOT, "%02x%02x%02x", profileIdc, constraints, levelIdc);
    }
}
