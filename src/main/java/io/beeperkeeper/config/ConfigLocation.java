package io.beeperkeeper.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which settings file {@code beeper run} reads, first found wins: {@code --config FILE}, then
 * {@code $BEEPER_CONFIG}, then the installed package's {@code /etc/beeper-keeper/beeper.yaml}, then
 * {@code beeper.yaml} in the working folder (a source checkout). A file named by the option or the
 * variable must exist (the loader says so when it does not); the two fixed places count only when
 * present. The file system root and working folder are passed in so tests can stand up their own.
 *
 * @param path  the file to read
 * @param found how it was chosen, for the start-up log ("--config", "$BEEPER_CONFIG", ...)
 */
public record ConfigLocation(Path path, String found) {
    public static final String ENV = "BEEPER_CONFIG";
    /** The installed package's settings file, relative to the file system root. */
    public static final String SYSTEM_FILE = "etc/beeper-keeper/beeper.yaml";
    public static final String LOCAL_FILE = "beeper.yaml";

    /**
     * @param option     the --config option, or null
     * @param env        environment variables (System.getenv() in production)
     * @param root       the file system root ("/" in production)
     * @param workingDir the working folder (the current one in production)
     * @return the file to read, or empty when there is none anywhere (built-in defaults)
     */
    public static Optional<ConfigLocation> find(Path option, Map<String, String> env, Path root, Path workingDir) {
        if (option != null) {
            return Optional.of(new ConfigLocation(option, "--config"));
        }
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) {
            return Optional.of(new ConfigLocation(Path.of(named), "$" + ENV));
        }
        Path system = root.resolve(SYSTEM_FILE);
        if (Files.isRegularFile(system)) {
            return Optional.of(new ConfigLocation(system, "the installed package's settings"));
        }
        Path local = workingDir.resolve(LOCAL_FILE);
        if (Files.isRegularFile(local)) {
            return Optional.of(new ConfigLocation(local, "the working folder"));
        }
        return Optional.empty();
    }

    /** The lookup as {@code beeper run} does it on this machine. */
    public static Optional<ConfigLocation> find(Path option) {
        return find(option, System.getenv(), Path.of("/"), Path.of(""));
    }
}
