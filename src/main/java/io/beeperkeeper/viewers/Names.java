package io.beeperkeeper.viewers;

/** Makes a display name safe to show and bounded: no control characters, trimmed, at most 64 code points. */
final class Names {
    static final int MAX_CODE_POINTS = 64;

    private Names() {
    }

    static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        raw.strip().codePoints()
                .filter(cp -> !Character.isISOControl(cp))
                .limit(MAX_CODE_POINTS)
                .forEach(sb::appendCodePoint);
        return sb.toString().strip();
    }
}
