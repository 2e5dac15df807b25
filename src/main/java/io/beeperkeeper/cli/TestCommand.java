package io.beeperkeeper.cli;

import io.beeperkeeper.SystemPackages;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `beeper test`: makes sure the system packages the tests drive are installed (apt as root, else the
 * one apt line to run), then runs the whole test suite with `mvn verify` in the source folder.
 */
@Command(name = "test", description = "Install missing test dependencies (as root) and run the test suite.")
public final class TestCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("beeper.home", "."));
        if (!Files.exists(home.resolve("pom.xml"))) {
            System.err.println("beeper test runs from a source checkout: no pom.xml in " + home.toAbsolutePath());
            return 2;
        }
        List<String> missing = SystemPackages.missing();
        if (!missing.isEmpty()) {
            String line = "apt-get install -y " + String.join(" ", missing);
            if (!"root".equals(System.getProperty("user.name"))) {
                System.err.println("The tests need these Debian packages. Install them with:\n  sudo apt-get update && sudo " + line);
                return 1;
            }
            System.out.println("installing " + missing + " with apt");
            int rc = exec(home, List.of("apt-get", "update", "-qq"));
            if (rc == 0) {
                List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
                cmd.addAll(missing);
                rc = exec(home, cmd);
            }
            if (rc != 0) {
                System.err.println("apt-get failed (exit " + rc + "); run by hand: " + line);
                return rc;
            }
        }
        return exec(home, List.of("mvn", "-B", "verify"));
    }

    private static int exec(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).inheritIO();
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return pb.start().waitFor();
    }
}
