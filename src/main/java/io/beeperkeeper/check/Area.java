package io.beeperkeeper.check;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a finding is about, in the order the report lists them. */
public enum Area {
    SETTINGS("settings"),
    CAMERA("camera"),
    MICROPHONE("microphone"),
    I2C("i2c"),
    BME680("bme680"),
    IIO("iio"),
    CPU("cpu"),
    VCGENCMD("vcgencmd"),
    FFMPEG("ffmpeg"),
    DISK("disk"),
    PORT("port");

    private final String wireName;

    Area(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
