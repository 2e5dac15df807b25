package io.beeperkeeper.timelapse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One part of one camera's day on disk: keyframes that share one SPS/PPS (a camera restarted with
 * other parameters starts the next part). Its files, in the day's folder:
 * <ul>
 *   <li>{@code part-N.params}: the SPS and PPS, written once when the part starts;</li>
 *   <li>{@code part-N.avc}: the keyframes, appended one after the other, each NAL unit with a 4-byte
 *       length (the form an MP4 sample takes, so the movie copies them as they are);</li>
 *   <li>{@code part-N.idx}: one 20-byte entry per keyframe ({@link Index});</li>
 *   <li>{@code part-N.K.mp4}: the movie of its first K keyframes. Once the day is over and its movie
 *       is built, the {@code .avc} and {@code .idx} are deleted: the movie holds the same bytes.</li>
 * </ul>
 */
record Part(Path dir, LocalDate day, int number) {
    private static final Pattern PARAMS = Pattern.compile("part-(\\d{1,4})\\.params");
    private static final Pattern MOVIE = Pattern.compile("part-(\\d{1,4})\\.(\\d{1,7})\\.mp4");

    Path params() {
        return dir.resolve("part-" + number + ".params");
    }

    Path samples() {
        return dir.resolve("part-" + number + ".avc");
    }

    Path index() {
        return dir.resolve("part-" + number + ".idx");
    }

    Path movie(int frames) {
        return dir.resolve("part-" + number + "." + frames + ".mp4");
    }

    /** The movie's name as the page asks for it: {@code 2026-12-01.mp4}, {@code 2026-12-01-2.mp4} for part 2. */
    String fileName() {
        return day + (number == 1 ? "" : "-" + number) + ".mp4";
    }

    /** Whether its keyframes are still on disk as a store (today, or a day whose movie is not built yet). */
    boolean hasStore() {
        return Files.exists(index());
    }

    /** The newest movie built from this part, with its frame count. */
    Optional<Movie> builtMovie() throws IOException {
        Movie best = null;
        for (Movie m : movies()) {
            if (best == null || m.frames() > best.frames()) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    List<Movie> movies() throws IOException {
        List<Movie> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = MOVIE.matcher(f.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) == number) {
                    out.add(new Movie(f, Integer.parseInt(m.group(2))));
                }
            }
        }
        return out;
    }

    /** A built movie file and how many keyframes it plays. */
    record Movie(Path file, int frames) {
    }

    /** The parts in a day's folder, by number (a part is known by its params file). */
    static List<Part> in(Path dayDir, LocalDate day) throws IOException {
        List<Part> out = new ArrayList<>();
        if (!Files.isDirectory(dayDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dayDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = PARAMS.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(new Part(dayDir, day, Integer.parseInt(m.group(1))));
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a.number, b.number));
        return out;
    }
}
