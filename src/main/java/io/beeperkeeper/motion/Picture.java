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

    /**
     * Whether the picture has (almost) no colour: an infrared camera at night; false when chroma is
     * unknown. The chroma is averaged over blocks of 8x8 first, so a noisy grey picture (whose colour
     * noise averages out) is grey and a coloured scene is not.
     */
    boolean isGrey() {
        int cw = width / 2;
        int ch = height / 2;
        if (chroma.length < 2 * cw * ch || cw < 8 || ch < 8) {
            return false;
        }
        double deviation = 0;
        int blocks = 0;
        for (int plane = 0; plane < 2; plane++) {
            int base = plane * cw * ch;
            for (int by = 0; by + 8 <= ch; by += 8) {
                for (int bx = 0; bx + 8 <= cw; bx += 8) {
                    int sum = 0;
                    for (int y = by; y < by + 8; y++) {
                        for (int x = bx; x < bx + 8; x++) {
                            sum += (chroma[base + y * cw + x] & 0xff) - 128;
                        }
                    }
                    deviation += Math.abs(sum / 64.0);
                    blocks++;
                }
            }
        }
        return deviation / blocks < GREY_CHROMA;
    }

    /** The mean colour (of 8x8 blocks, away from grey at 128) below which a picture is grey. */
    static final double GREY_CHROMA = 6;
}
