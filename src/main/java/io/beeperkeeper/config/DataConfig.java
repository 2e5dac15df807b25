package io.beeperkeeper.config;

/** The folder for everything the hub writes (database, broker state, recordings). */
public record DataConfig(String dir) {
    public DataConfig {
        ConfigException.require(dir != null && !dir.isBlank(), "data.dir", dir, "a folder path such as ./data");
    }

    public static DataConfig defaults() {
        return new DataConfig("./data");
    }
}
