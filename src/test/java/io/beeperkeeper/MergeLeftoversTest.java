package io.beeperkeeper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No file the hub ships or documents holds a merge conflict's markers: a browser renders them as
 * text on the page and skips nothing, so the page tests alone do not catch them.
 */
class MergeLeftoversTest {
    @Test
    void noConflictMarkersInSourcesPageOrDocs() throws IOException {
        List<String> found = new ArrayList<>();
        for (String root : List.of("src", "docs", "README.md", "beeper.example.yaml", "pom.xml", "beeper")) {
            Path p = Path.of(root);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    List<String> lines;
                    try {
                        lines = Files.readAllLines(f);
                    } catch (MalformedInputException binary) {
                        continue;
                    }
                    for (int i = 0; i < lines.size(); i++) {
                        String l = lines.get(i);
                        if (l.startsWith("<<<<<<< ") || l.startsWith(">>>>>>> ") || l.equals("<<<<<<<") || l.equals(">>>>>>>")) {
                            found.add(f + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        assertThat(found).as("merge conflict markers").isEmpty();
    }
}
