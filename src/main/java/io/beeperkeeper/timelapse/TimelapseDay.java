package io.beeperkeeper.timelapse;

import java.time.LocalDate;
import java.util.List;

/**
 * One day of one camera's time-lapse as the page lists it: its movies (usually one; one more for each
 * time the camera came back with other picture parameters that day).
 *
 * @param today whether the day is still running (its movies are built on request from what is kept so far)
 */
public record TimelapseDay(LocalDate day, boolean today, List<Movie> movies) {
    public TimelapseDay {
        movies = List.copyOf(movies);
    }

    /** Keyframes in all of the day's movies. */
    public int frames() {
        return movies.stream().mapToInt(Movie::frames).sum();
    }

    /**
     * One movie of a day.
     *
     * @param file    its name under {@code /api/timelapse/<camera>/}, e.g. {@code 2026-12-01.mp4}
     * @param frames  keyframes it plays (kept so far, for today)
     * @param seconds how long it plays at the configured frame rate
     * @param bytes   its size on disk (for today: the kept keyframes)
     */
    public record Movie(String file, int part, int frames, double seconds, int width, int height, long bytes) {
    }
}
