package io.beeperkeeper.chat;

import java.util.Optional;

/**
 * What a chat message may contain: 1-500 characters (Unicode code points, so an emoji counts as one)
 * after trimming, at least one of them visible. Control characters are removed (line breaks and tabs
 * become spaces, since the chat is single-line), unpaired surrogates dropped, and bidirectional
 * embedding, override and isolate characters removed: they would reverse how the following text
 * (the next message, a name) reads. Zero-width joiners and the like stay, since emoji sequences need
 * them, but a message made only of such invisible characters is refused. Everything else in Unicode
 * is kept as typed. The text is never HTML: the page renders it as text.
 */
final class ChatText {
    public static final int MAX_CHARS = 500;

    private ChatText() {
    }

    public static String clean(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                sb.append(' ');
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE || isBidiControl(cp)) {
                continue;
            } else {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString().strip();
    }

    /** Why a cleaned message cannot be sent, or empty when it can. */
    public static Optional<String> problem(String cleaned) {
        if (cleaned.isEmpty()) {
            return Optional.of("message is empty");
        }
        if (cleaned.codePoints().allMatch(ChatText::isInvisible)) {
            return Optional.of("message has no visible characters");
        }
        int length = cleaned.codePointCount(0, cleaned.length());
        if (length > MAX_CHARS) {
            return Optional.of("message is " + length + " characters long; at most " + MAX_CHARS + " are allowed");
        }
        return Optional.empty();
    }

    /** LRE, RLE, PDF, LRO, RLO (U+202A-202E) and LRI, RLI, FSI, PDI (U+2066-2069). */
    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /**
     * Characters that show nothing on their own: spaces, format characters (zero-width space and
     * joiners, marks, word joiner, BOM, tags), variation selectors, the combining grapheme joiner,
     * Hangul fillers and the blank Braille pattern.
     */
    static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || type == Character.FORMAT
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x180B && cp <= 0x180F)
                || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800
                || type == Character.UNASSIGNED && cp >= 0xE0000 && cp <= 0xE0FFF;
    }
}
