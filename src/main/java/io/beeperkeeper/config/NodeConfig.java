package io.beeperkeeper.config;

/** This machine's name among several nodes; empty means the host name. */
public record NodeConfig(String name) {
    public NodeConfig {
        name = name == null ? "" : name;
        ConfigException.require(name.isEmpty() || name.matches("[A-Za-z0-9_-]{1,64}"), "node.name", name, "1-64 letters, digits, '-' or '_' (empty: the host name)");
    }

    public static NodeConfig defaults() {
        return new NodeConfig("");
    }
}
