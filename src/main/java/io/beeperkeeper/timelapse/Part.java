package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.mp4.Mp4Movie;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One part of one camera's day on disk: keyframes that share one SPS/PPS (a camera restarted with
 * other parameters starts the next part). Its files, in the day's folder:
 * <ul>
 *   <li>{@code part-N.params}: the SPS and PPS, written once when the part starts;</li>
 *   <li>{@code part-N.avc}: the keyframes, appended one after the other, each NAL unit with a 4-byte
 *       length (the form an MP4 sample takes, so the movie serves them as they are), the first one
 *       its {@link KeyframeMarker};</li>
 *   <li>{@code part-N.idx}: one 20-byte entry per keyframe ({@link Index}), a page at a time.</li>
 * </ul>
 * Its movie is never a file of its own: {@link Mp4Movie} serves the {@code .avc} behind a header.
 */
record Part(Path dir, LocalDate day, int number) {
    private static final Pattern PARAMS = Pattern.compile("part-(\\d{1,4})\\.params");

    Path params() {
        return dir.resolve("part-" + number + ".params");
    }

    Path samples() {
        return dir.resolve("part-" + number + ".avc");
    }

    Path index() {
        return dir.resolve("part-" + number + ".idx");
    }

    /** The movie's name as the page asks for it: {@code 2026-12-01.mp4}, {@code 2026-12-01-2.mp4} for part 2. */
    String fileName() {
        return day + (number == 1 ? "" : "-" + number) + ".mp4";
    }

    /** Whether it has its files (a part whose first keyframe never got written has only its params). */
    boolean hasStore() {
        return Files.exists(index()) || Files.exists(samples());
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
