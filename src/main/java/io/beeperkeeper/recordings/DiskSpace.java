package io.beeperkeeper.recordings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free bytes on the disk clips are written to; a stand-in in tests gives a small budget. */
@FunctionalInterface
interface DiskSpace {
    long freeBytes() throws IOException;

    /** The real disk of {@code folder} (the space an unprivileged writer may still use). */
    static DiskSpace of(Path folder) {
        return () -> Files.getFileStore(folder).getUsableSpace();
    }
}
