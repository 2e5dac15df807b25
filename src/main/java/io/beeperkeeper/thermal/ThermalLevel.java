package io.beeperkeeper.thermal;

import io.beeperkeeper.media.camera.VideoEncoding;

/**
 * How far the software-encoded cameras are stepped down on a hot CPU, in step order: frame rate first
 * (it costs the viewer least), then size. The ordinal is the level the {@code beeper_thermal_level}
 * gauge shows.
 */
public enum ThermalLevel {
    /** As configured. */
    FULL("full"),
    /** Half the frame rate. */
    REDUCED_FPS("half frame rate"),
    /** Half the frame rate and half of each side (a quarter of the pixels). */
    REDUCED_FPS_AND_SIZE("half frame rate and size");

    private final String label;

    ThermalLevel(String label) {
        this.label = label;
    }

    /** What the level means to a keeper ("half frame rate"). */
    public String label() {
        return label;
    }

    /** The encoding at this level of a camera configured at {@code configured}. */
    public VideoEncoding apply(VideoEncoding configured) {
        return switch (this) {
            case FULL -> configured;
            case REDUCED_FPS -> configured.fpsDividedBy(2);
            case REDUCED_FPS_AND_SIZE -> configured.fpsDividedBy(2).sizeDividedBy(2);
        };
    }

    boolean lowest() {
        return ordinal() == values().length - 1;
    }

    ThermalLevel lower() {
        return lowest() ? this : values()[ordinal() + 1];
    }

    ThermalLevel higher() {
        return this == FULL ? this : values()[ordinal() - 1];
    }
}
