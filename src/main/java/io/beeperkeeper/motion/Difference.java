package io.beeperkeeper.motion;

import io.beeperkeeper.config.MotionConfig;
import io.beeperkeeper.config.MotionZone;

import java.util.List;

/**
 * Scores each picture of one camera against a slowly adapting background (a running average): the
 * fraction of the picture (or of its zones, masks left out) whose brightness changed by more than a
 * threshold that rises with the picture's own noise. Single changed pixels (sensor noise, compression)
 * do not count: a pixel counts when at least two of its four neighbours changed too.
 *
 * <p>A change of most of the picture at once, or of its median brightness, is a light switched on or off
 * (or an infrared camera's IR-cut filter moving): the background is taken afresh from that picture and
 * it scores nothing. The median brightness change (a light dimming, the sun behind a cloud) is
 * subtracted before comparing; being a median, a hen filling a third of the picture does not move it.
 *
 * <p>Night mode (a grey, noisy infrared picture): the picture is averaged down to half its size and the
 * threshold is higher. In {@link MotionConfig.Night#AUTO} it follows whether the picture is grey, after
 * three pictures in a row agree; switching mode takes the background afresh.
 */
final class Difference {
    /** A median brightness jump of this many levels (of 255) is a light, not motion. */
    static final double LIGHT_JUMP = 18;
    /** This fraction of the picture changing at once is a light, not motion. */
    static final double WHOLE_PICTURE = 0.5;
    private static final int MODE_SWITCH_PICTURES = 3;

    /** What one picture showed. */
    record Look(double score, String zone, boolean lightsSwitched, boolean night) {
    }

    private final MotionConfig.Settings settings;
    private final double alpha;
    private boolean night;
    private int modeVotes;
    private int w;
    private int h;
    private float[] background;
    private boolean[] counted;
    private int[] zoneOf;
    private int countedPixels;
    private double noise = 2;

    /** @param fps pictures a second, so the background adapts in about ten seconds whatever the rate */
    Difference(MotionConfig.Settings settings, int fps) {
        this.settings = settings;
        this.alpha = Math.min(0.5, 1.0 / (10.0 * fps));
        this.night = settings.night() == MotionConfig.Night.ON;
    }

    boolean night() {
        return night;
    }

    Look look(Picture p) {
        boolean wantNight = switch (settings.night()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> p.isGrey();
        };
        if (wantNight != night) {
            if (++modeVotes >= MODE_SWITCH_PICTURES) {
                night = wantNight;
                modeVotes = 0;
                background = null; // a new kind of picture: start over
            }
        } else {
            modeVotes = 0;
        }
        float[] cur = prepare(p);
        if (background == null || background.length != cur.length) {
            layout();
            background = cur;
            return new Look(0, "", false, night);
        }
        double shift = medianShift(cur);
        if (Math.abs(shift) > LIGHT_JUMP) {
            background = cur;
            return new Look(0, "", true, night);
        }
        double base = (6 + (1 - settings.sensitivity()) * 40) * (night ? 1.5 : 1);
        double threshold = Math.max(base, (night ? 5 : 4) * noise);
        boolean[] over = new boolean[cur.length];
        double absSum = 0;
        for (int i = 0; i < cur.length; i++) {
            double d = Math.abs(cur[i] - background[i] - shift);
            absSum += d;
            over[i] = d > threshold;
        }
        int changed = 0;
        int changedAnywhere = 0;
        int[] perZone = new int[Math.max(1, settings.zones().size())];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!over[i]) {
                    continue;
                }
                int n = (x > 0 && over[i - 1] ? 1 : 0) + (x < w - 1 && over[i + 1] ? 1 : 0)
                        + (y > 0 && over[i - w] ? 1 : 0) + (y < h - 1 && over[i + w] ? 1 : 0);
                if (n < 2) {
                    continue;
                }
                changedAnywhere++;
                if (counted[i]) {
                    changed++;
                    if (zoneOf[i] >= 0) {
                        perZone[zoneOf[i]]++;
                    }
                }
            }
        }
        if (changedAnywhere > WHOLE_PICTURE * cur.length) {
            background = cur;
            return new Look(0, "", true, night);
        }
        double score = (double) changed / countedPixels;
        boolean moving = score >= settings.minArea();
        if (!moving) {
            noise = 0.9 * noise + 0.1 * (absSum / cur.length);
        }
        for (int i = 0; i < cur.length; i++) {
            float a = (float) (over[i] ? alpha / 4 : alpha);
            background[i] += a * (cur[i] - background[i]);
        }
        String zone = "";
        if (!settings.zones().isEmpty() && changed > 0) {
            int best = 0;
            for (int z = 1; z < perZone.length; z++) {
                if (perZone[z] > perZone[best]) {
                    best = z;
                }
            }
            zone = settings.zones().get(best).name();
        }
        return new Look(score, zone, false, night);
    }

    /** The median of the picture's change from the background, in whole levels. */
    private double medianShift(float[] cur) {
        int[] histogram = new int[511];
        for (int i = 0; i < cur.length; i++) {
            histogram[Math.round(cur[i] - background[i]) + 255]++;
        }
        int half = cur.length / 2;
        int seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen > half) {
                return b - 255;
            }
        }
        return 0;
    }

    /** The picture as compared: blurred (3x3), and in night mode first averaged down to half size. */
    private float[] prepare(Picture p) {
        int sw = p.width();
        int sh = p.height();
        float[] src = new float[sw * sh];
        byte[] luma = p.luma();
        for (int i = 0; i < src.length; i++) {
            src[i] = luma[i] & 0xff;
        }
        if (night) {
            int hw = sw / 2;
            int hh = sh / 2;
            float[] half = new float[hw * hh];
            for (int y = 0; y < hh; y++) {
                for (int x = 0; x < hw; x++) {
                    int i = 2 * y * sw + 2 * x;
                    half[y * hw + x] = (src[i] + src[i + 1] + src[i + sw] + src[i + sw + 1]) / 4;
                }
            }
            src = half;
            sw = hw;
            sh = hh;
        }
        if (sw != w || sh != h) {
            w = sw;
            h = sh;
            counted = null;
        }
        float[] out = new float[sw * sh];
        for (int y = 0; y < sh; y++) {
            boolean rowInside = y > 0 && y < sh - 1;
            for (int x = 0; x < sw; x++) {
                if (rowInside && x > 0 && x < sw - 1) {
                    // the 3x3 sum below, written out for the inner pixels (the same additions in the same order)
                    int a = (y - 1) * sw + x;
                    int b = a + sw;
                    int c = b + sw;
                    float inner = src[a - 1] + src[a] + src[a + 1] + src[b - 1] + src[b] + src[b + 1]
                            + src[c - 1] + src[c] + src[c + 1];
                    out[b] = inner / 9;
                    continue;
                }
                float sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= sh) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx >= 0 && xx < sw) {
                            sum += src[yy * sw + xx];
                            n++;
                        }
                    }
                }
                out[y * sw + x] = sum / n;
            }
        }
        return out;
    }

    /** Which pixels count (in a zone, or anywhere without zones, and in no mask), for the current size. */
    private void layout() {
        if (counted != null && counted.length == w * h) {
            return;
        }
        List<MotionZone> zones = settings.zones();
        counted = new boolean[w * h];
        zoneOf = new int[w * h];
        countedPixels = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fx = (x + 0.5) / w;
                double fy = (y + 0.5) / h;
                int i = y * w + x;
                zoneOf[i] = -1;
                for (int z = 0; z < zones.size(); z++) {
                    if (zones.get(z).contains(fx, fy)) {
                        zoneOf[i] = z;
                        break;
                    }
                }
                boolean masked = settings.masks().stream().anyMatch(m -> m.contains(fx, fy));
                counted[i] = (zones.isEmpty() || zoneOf[i] >= 0) && !masked;
                if (counted[i]) {
                    countedPixels++;
                }
            }
        }
        countedPixels = Math.max(1, countedPixels);
    }
}
