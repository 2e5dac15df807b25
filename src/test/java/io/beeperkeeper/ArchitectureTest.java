package io.beeperkeeper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the layers apart: only the web adapters ({@code io.beeperkeeper.web..}), the command line
 * ({@code io.beeperkeeper.cli..}) and the launcher ({@code Main}, {@code App}) may use the HTTP
 * library. Reads the imports (and any fully qualified use) of every production source file.
 */
class ArchitectureTest {
    static final Path SOURCES = Path.of("src/main/java");
    static final Pattern HTTP_LIBRARY = Pattern.compile("\\b(io\\.javalin|org\\.eclipse\\.jetty)\\.");
    static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

    static boolean mayUseHttpLibrary(String pkg, String className) {
        return pkg.equals("io.beeperkeeper.web") || pkg.startsWith("io.beeperkeeper.web.")
                || pkg.equals("io.beeperkeeper.cli") || pkg.startsWith("io.beeperkeeper.cli.")
                || className.equals("io.beeperkeeper.Main") || className.equals("io.beeperkeeper.App");
    }

    /** The source without comments and string literals, so a mention in a comment does not count. */
    static String code(String source) {
        // char literals first (a '"' would open a string); strings matched without backtracking, so a
        // long literal cannot overflow the regex engine's stack
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("'(?:\\\\.|[^'\\\\])'", "' '")
                .replaceAll("\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"", "\"\"");
    }

    @Test
    void onlyTheWebLayerCliAndLauncherUseJavalinOrJetty() throws IOException {
        Set<String> offenders = new TreeSet<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
        }
        assertThat(files).as("production sources found").hasSizeGreaterThan(50);
        for (Path f : files) {
            String source = Files.readString(f);
            Matcher pkg = PACKAGE.matcher(source);
            String p = pkg.find() ? pkg.group(1) : "";
            String name = f.getFileName().toString().replace(".java", "");
            if (mayUseHttpLibrary(p, p + "." + name)) {
                continue;
            }
            if (HTTP_LIBRARY.matcher(code(source)).find()) {
                offenders.add(SOURCES.relativize(f).toString().replace('\\', '/'));
            }
        }
        assertThat(offenders).as("classes outside web, cli and the launcher that import io.javalin or org.eclipse.jetty; "
                + "move their HTTP code into io.beeperkeeper.web.<feature>").isEmpty();
    }

    @Test
    void theScanSeesAnImportAndIgnoresComments() {
        assertThat(HTTP_LIBRARY.matcher(code("package x;\nimport io.javalin.Javalin;\n")).find()).isTrue();
        assertThat(HTTP_LIBRARY.matcher(code("class A { org.eclipse.jetty.server.Server s; }")).find()).isTrue();
        assertThat(HTTP_LIBRARY.matcher(code("/** see io.javalin.Javalin */ // org.eclipse.jetty.x\nclass A { String s = \"io.javalin.x\"; }")).find()).isFalse();
        assertThat(mayUseHttpLibrary("io.beeperkeeper.web.media", "io.beeperkeeper.web.media.MediaWebModule")).isTrue();
        assertThat(mayUseHttpLibrary("io.beeperkeeper.webrtc", "io.beeperkeeper.webrtc.X")).isFalse();
        assertThat(mayUseHttpLibrary("io.beeperkeeper.media", "io.beeperkeeper.media.MediaFeature")).isFalse();
    }
}
