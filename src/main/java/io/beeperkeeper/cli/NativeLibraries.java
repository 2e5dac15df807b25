package io.beeperkeeper.cli;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The native code the hub depends on (SQLite through sqlite-jdbc, libc through JNA), loaded the way
 * the hub loads it, and then found in this process's memory map with the machine its ELF header
 * names, read from memory (JNA deletes its extracted file as soon as it is loaded). On a Pi that shows the aarch64 (or armv7) libraries really are the ones running; a jar
 * without them fails here with the loader's own message instead of later in the history store.
 */
final class NativeLibraries {
    /** One library: what it is, the file mapped into this process, and that file's ELF machine. */
    record Loaded(String name, String detail, String file, String machine) {
        String line() {
            return name + ": " + detail + ", " + (file == null ? "file not found in /proc/self/maps"
                    : file + " (ELF " + machine + ")");
        }
    }

    private NativeLibraries() {
    }

    /** Loads both libraries; throws with the loader's message when one has no native code for this machine. */
    static List<Loaded> load() throws SQLException, IOException {
        String sqliteVersion;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select sqlite_version()")) {
            r.next();
            sqliteVersion = r.getString(1);
        }
        int pointerSize = Native.POINTER_SIZE; // the first use loads JNA's libjnidispatch
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        List<Loaded> loaded = new ArrayList<>();
        loaded.add(describe("sqlite-jdbc", "SQLite " + sqliteVersion, mapped(maps, "sqlitejdbc")));
        String dispatch = System.getProperty("jnidispatch.path"); // where JNA unpacked it, if it did
        loaded.add(describe("JNA", "libjnidispatch for " + Platform.RESOURCE_PREFIX + ", " + pointerSize * 8 + "-bit",
                mapped(maps, dispatch == null ? "jnidispatch" : Path.of(dispatch).getFileName().toString())));
        return loaded;
    }

    private static Loaded describe(String name, String detail, Optional<Mapping> mapping) {
        if (mapping.isEmpty()) {
            return new Loaded(name, detail, null, null);
        }
        return new Loaded(name, detail, mapping.get().file(), elfMachine(new Pointer(mapping.get().start()).getByteArray(0, 20)));
    }

    /** Where a file's first page is mapped into this process. */
    record Mapping(long start, String file) {
    }

    /** The readable mapping of the start (offset 0) of the first file whose name contains {@code part}. */
    static Optional<Mapping> mapped(List<String> maps, String part) {
        for (String line : maps) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length == 6 && f[5].contains(part) && f[1].startsWith("r") && Long.parseLong(f[2], 16) == 0) {
                return Optional.of(new Mapping(Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16),
                        f[5].replace(" (deleted)", "").trim()));
            }
        }
        return Optional.empty();
    }

    /** The e_machine field of an ELF header: x86-64, aarch64, arm or the number. */
    static String elfMachine(byte[] header) {
        if (header.length < 20 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            return "not an ELF file";
        }
        boolean little = header[5] == 1;
        int machine = little ? (header[18] & 0xff) | (header[19] & 0xff) << 8 : (header[19] & 0xff) | (header[18] & 0xff) << 8;
        return switch (machine) {
            case 0x3e -> "x86-64";
            case 0xb7 -> "aarch64";
            case 0x28 -> "arm";
            default -> String.format(Locale.ROOT, "machine 0x%x", machine);
        };
    }
}
