package io.beeperkeeper.config;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The history store (SQLite tables {@code hist_*} in the data folder's beeper.db) and its optional
 * InfluxDB mirror.
 *
 * @param rawRetentionDays    how long the raw samples are kept
 * @param minuteRetentionDays how long the 1-minute rollups are kept
 * @param hourRetentionDays   how long the 1-hour rollups are kept; 0 keeps them forever
 * @param flushSeconds        samples are written in one transaction at most this often (spares the SD card;
 *                            a crash or power cut loses at most this many seconds of readings; a stop flushes)
 * @param rollupFlushMinutes  the rollups of the samples are written this often (they are rebuilt from the
 *                            raw samples after a crash, so holding them longer loses nothing)
 * @param queueCapacity       samples waiting for the writer; past this, new samples are dropped and counted
 * @param lightsOnLux         lights count as on from this lux level (the seed's 50)
 * @param lightsOffLux        lights on go off only below this level, so they do not flicker
 * @param timeZone            the zone whose midnight ends a day for daily figures; empty: the system's
 * @param influx              the InfluxDB mirror
 * @param rawIntervalSeconds  the raw tier keeps the first sample of each series in each window of this many
 *                            seconds; every sample still counts in the 1-minute and 1-hour figures. 0 keeps
 *                            every sample (each raw row is written twice, to the log and the file: the
 *                            largest part of what the hub writes to the SD card)
 */
public record HistoryConfig(int rawRetentionDays, int minuteRetentionDays, int hourRetentionDays,
                            int flushSeconds, int rollupFlushMinutes, int queueCapacity,
                            double lightsOnLux, double lightsOffLux, String timeZone, Influx influx,
                            int rawIntervalSeconds) {

    public HistoryConfig {
        ConfigException.require(rawRetentionDays >= 1 && rawRetentionDays <= 3650, "history.rawRetentionDays", rawRetentionDays, "a number of days from 1 to 3650");
        ConfigException.require(minuteRetentionDays >= 1 && minuteRetentionDays <= 36500, "history.minuteRetentionDays", minuteRetentionDays, "a number of days from 1 to 36500");
        ConfigException.require(hourRetentionDays >= 0 && hourRetentionDays <= 365000, "history.hourRetentionDays", hourRetentionDays, "a number of days, or 0 to keep hourly figures forever");
        ConfigException.require(flushSeconds >= 1 && flushSeconds <= 600, "history.flushSeconds", flushSeconds, "a number of seconds from 1 to 600");
        ConfigException.require(rollupFlushMinutes >= 1 && rollupFlushMinutes <= 60, "history.rollupFlushMinutes", rollupFlushMinutes, "a number of minutes from 1 to 60");
        ConfigException.require(queueCapacity >= 100 && queueCapacity <= 1_000_000, "history.queueCapacity", queueCapacity, "a number of samples from 100 to 1000000");
        ConfigException.require(lightsOnLux > 0, "history.lightsOnLux", lightsOnLux, "a lux level above 0 (the seed used 50)");
        ConfigException.require(lightsOffLux >= 0 && lightsOffLux <= lightsOnLux, "history.lightsOffLux", lightsOffLux, "a lux level from 0 up to history.lightsOnLux (" + lightsOnLux + ")");
        timeZone = timeZone == null ? "" : timeZone.trim();
        ConfigException.require(timeZone.isEmpty() || validZone(timeZone), "history.timeZone", timeZone, "a zone id such as Europe/Berlin or UTC, or empty for the system's zone");
        influx = influx == null ? Influx.defaults() : influx;
        ConfigException.require(rawIntervalSeconds >= 0 && rawIntervalSeconds <= 3600, "history.rawIntervalSeconds", rawIntervalSeconds,
                "a number of seconds from 1 to 3600, or 0 to keep every sample");
    }

    /** Settings that keep every sample in the raw tier (tests and the history benchmark). */
    public HistoryConfig(int rawRetentionDays, int minuteRetentionDays, int hourRetentionDays,
                         int flushSeconds, int rollupFlushMinutes, int queueCapacity,
                         double lightsOnLux, double lightsOffLux, String timeZone, Influx influx) {
        this(rawRetentionDays, minuteRetentionDays, hourRetentionDays, flushSeconds, rollupFlushMinutes, queueCapacity,
                lightsOnLux, lightsOffLux, timeZone, influx, 0);
    }

    public static HistoryConfig defaults() {
        return new HistoryConfig(14, 180, 0, 300, 60, 20_000, 50, 30, "", Influx.defaults(), 10);
    }

    public ZoneId zone() {
        return timeZone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(timeZone);
    }

    private static boolean validZone(String id) {
        try {
            ZoneId.of(id);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * Mirror of every reading to InfluxDB as line protocol: version 1 writes to {@code /write?db=database},
     * version 2 to {@code /api/v2/write?org=&bucket=} with {@code Authorization: Token token}.
     */
    public record Influx(boolean enabled, String url, int version, String database, String username, String password,
                         String org, String bucket, String token, String measurement,
                         int flushSeconds, int bufferCapacity) {
        public Influx {
            url = url == null ? "" : url.trim();
            database = database == null ? "" : database;
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            org = org == null ? "" : org;
            bucket = bucket == null ? "" : bucket;
            token = token == null ? "" : token;
            ConfigException.require(!enabled || url.matches("https?://[^\\s/]+(:\\d+)?/?"), "history.influx.url", url, "http://HOST:PORT of InfluxDB, such as http://127.0.0.1:8086");
            ConfigException.require(version == 1 || version == 2, "history.influx.version", version, "1 (InfluxDB 1.x, /write) or 2 (InfluxDB 2.x, /api/v2/write)");
            ConfigException.require(!enabled || version != 1 || database.matches("[A-Za-z0-9_.-]+"), "history.influx.database", database, "the InfluxDB 1.x database name, such as beeper");
            ConfigException.require(!enabled || version != 2 || (!org.isBlank() && !bucket.isBlank() && !token.isBlank()),
                    "history.influx.token", token.isEmpty() ? null : "(hidden)", "with version 2, set history.influx.org, history.influx.bucket and history.influx.token");
            ConfigException.require(measurement != null && measurement.matches("[A-Za-z0-9_.-]+"), "history.influx.measurement", measurement, "letters, digits, '_', '.', '-' such as beeper");
            ConfigException.require(flushSeconds >= 1 && flushSeconds <= 600, "history.influx.flushSeconds", flushSeconds, "a number of seconds from 1 to 600");
            ConfigException.require(bufferCapacity >= 100 && bufferCapacity <= 1_000_000, "history.influx.bufferCapacity", bufferCapacity, "a number of readings from 100 to 1000000");
        }

        public static Influx defaults() {
            return new Influx(false, "http://127.0.0.1:8086", 1, "beeper", "", "", "", "", "", "beeper", 10, 10_000);
        }
    }
}
