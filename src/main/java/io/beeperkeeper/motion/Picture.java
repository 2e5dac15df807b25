package io.beeperkeeper.motion;

/**
 * One small decoded picture of a camera as detection looks at it: the luma (grey) plane, and the
 * quarter-size chroma planes (to tell a grey infrared night picture from a colour one).
 *
 * @param luma   {@code width * height} bytes, row by row
 * @param chroma {@code width * height / 2} bytes (U then V planes), or empty when only grey is known
 * @param timeUs the frame's time on the camera's stream clock
 * @param wallMs when the hub received the frame (epoch ms)
 */
record Picture(int width, int height, byte[] luma, byte[] chroma, long timeUs, long wallMs) {
    Picture {
        if (luma.length != width * height) {
            throw new IllegalArgumentException("luma is " + luma.length + " bytes, not " + width + "x" + height);
        }
    }

    static Picture grey(int width, int height, byte[] luma, long timeUs) {
        return new Picture(width, height, luma, new byte[0], timeUs, timeUs / 1000);
    }

    /** Whether the picture has (almost) no colour: an infrared camera at night; false when chroma is unknown. */
    boolean isGrey() {
        if (chroma.length == 0) {
            return false;
        }
        long sum = 0;
        for (byte b : chroma) {
            sum += Math.abs((b & 0xff) - 128);
        }
        return sum < 3L * chroma.length;
    }
}
