package io.beeperkeeper.timelapse;

import io.beeperkeeper.media.Ffmpeg;
import io.beeperkeeper.media.h264.AccessUnit;
import io.beeperkeeper.media.h264.AnnexBReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyframes recorded from a real x264 (every picture an IDR), to keep without waiting for a camera. */
public final class RecordedKeyframes {
    private RecordedKeyframes() {
    }

    /** {@code count} IDR access units of a moving test pattern, with the SPS/PPS they came with. */
    public static List<AccessUnit> record(Path dir, int width, int height, int count) throws Exception {
        Path file = Files.createTempFile(dir, "keyframes", ".h264");
        Ffmpeg.Result r = Ffmpeg.run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=" + width + "x" + height + ":rate=15", "-frames:v", String.valueOf(count),
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "1", "-bf", "0", "-pix_fmt", "yuv420p", "-f", "h264", file.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        List<AccessUnit> units = AnnexBReader.parseAll(Files.readAllBytes(file));
        assertThat(units).hasSize(count).allMatch(AccessUnit::keyframe);
        return units;
    }
}
