package io.beeperkeeper.config;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a setting whose values are a fixed list of words (an enum spelled as in beeper.yaml), so every
 * such setting refuses an unknown word the same way: the key, the word given and the allowed words.
 */
final class WireNames {
    private WireNames() {
    }

    static <E extends Enum<E>> E parse(String key, String text, E[] values, Function<E, String> wireName) {
        String t = text == null ? "" : text.trim();
        return Arrays.stream(values).filter(v -> wireName.apply(v).equals(t)).findFirst()
                .orElseThrow(() -> new ConfigException(key, text,
                        Arrays.stream(values).map(wireName).collect(Collectors.joining(", "))));
    }
}
