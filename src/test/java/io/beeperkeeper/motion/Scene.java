package io.beeperkeeper.motion;

import java.util.Arrays;
import java.util.Random;

/** Synthetic small pictures for the detector: a still gradient scene, sensor noise, a moving square, a light level. */
final class Scene {
    static final int W = 160;
    static final int H = 120;
    private final Random random = new Random(42);
    private final double noise;
    private final boolean grey;

    /** @param noise the sensor noise's standard deviation in levels; grey: an infrared picture without colour */
    Scene(double noise, boolean grey) {
        this.noise = noise;
        this.grey = grey;
    }

    /**
     * @param light added to every pixel (a light switched on)
     * @param squareX left edge of a bright 24x24 square, or -1 for none
     */
    Picture picture(long timeUs, int light, int squareX, int squareY) {
        byte[] luma = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double v = 60 + x * 0.4 + y * 0.3 + light + random.nextGaussian() * noise;
                if (squareX >= 0 && x >= squareX && x < squareX + 24 && y >= squareY && y < squareY + 24) {
                    v += 90;
                }
                luma[y * W + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
            }
        }
        byte[] chroma = new byte[W * H / 2];
        Arrays.fill(chroma, (byte) 128);
        if (!grey) {
            for (int i = 0; i < chroma.length; i++) {
                chroma[i] = (byte) (i < chroma.length / 2 ? 100 : 150);
            }
        }
        return new Picture(W, H, luma, chroma, timeUs, timeUs / 1000);
    }
}
