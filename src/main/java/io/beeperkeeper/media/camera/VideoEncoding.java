package io.beeperkeeper.media.camera;

import io.beeperkeeper.config.CameraConfig;

/**
 * The picture a software-encoded camera's ffmpeg makes: frame rate and size. A camera starts at its
 * configured one; the thermal governor asks for a lower one on a hot CPU and the configured one again
 * when it has cooled.
 */
public record VideoEncoding(int fps, int width, int height) {
    public VideoEncoding {
        if (fps < 1 || width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("a video encoding needs fps >= 1 and an even size of at least 16x16, not "
                    + fps + " fps " + width + "x" + height);
        }
    }

    /** The camera's configured frame rate and size. */
    public static VideoEncoding of(CameraConfig c) {
        return new VideoEncoding(c.fps(), c.width(), c.height());
    }

    /** A lower frame rate: {@code fps / divisor}, at least 1. */
    public VideoEncoding fpsDividedBy(int divisor) {
        return new VideoEncoding(Math.max(1, fps / divisor), width, height);
    }

    /** A smaller picture: each side divided, kept even and at least 16 pixels. */
    public VideoEncoding sizeDividedBy(int divisor) {
        return new VideoEncoding(fps, even(width / divisor), even(height / divisor));
    }

    private static int even(int pixels) {
        return Math.max(16, pixels - pixels % 2);
    }

    /** "5 fps 320x240". */
    @Override
    public String toString() {
        return fps + " fps " + width + "x" + height;
    }
}
