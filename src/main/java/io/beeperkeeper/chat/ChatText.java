package io.beeperkeeper.chat;

import java.util.Optional;

/**
 * What a chat message may contain: 1-500 characters (Unicode code points, so an emoji counts as one)
 * after trimming. Control characters are removed (line breaks and tabs become spaces, since the chat
 * is single-line) and unpaired surrogates dropped; everything else in Unicode is kept as typed. The
 * text is never HTML: the page renders it as text.
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
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
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
        int length = cleaned.codePointCount(0, cleaned.length());
        if (length > MAX_CHARS) {
            return Optional.of("message is " + length + " characters long; at most " + MAX_CHARS + " are allowed");
        }
        return Optional.empty();
    }
}
