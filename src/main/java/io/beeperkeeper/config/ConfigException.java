package io.beeperkeeper.config;

/**
 * A setting that cannot be used: names the key, the value given and what is allowed, so the
 * message alone tells the user how to fix their beeper.yaml or environment.
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super("config key '" + key + "': " + (value == null ? "missing value" : "bad value '" + value + "'")
                + "; allowed: " + allowed);
        this.key = key;
    }

    /** For errors that are not about one value (unknown key, unreadable file). */
    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    public String key() {
        return key;
    }

    static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new ConfigException(key, value, allowed);
        }
    }
}
