package io.beeperkeeper.alerts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What the history store derives from lux, read by the day-length and darkness rules: the lit hours
 * of a whole day ({@code light_hours}) and the lights-on periods ({@code lights_on}).
 */
interface LightHistory {
    /** For a hub without a store: the light rules stay unknown and never fire. */
    LightHistory NONE = new LightHistory() {
        @Override
        public OptionalDouble lightHours(LocalDate day) {
            return OptionalDouble.empty();
        }

        @Override
        public List<LightSample> lightsOn(Instant from, Instant to) {
            return List.of();
        }
    };

    /** Whether the lights were on at {@code time} (a minute's majority). */
    record LightSample(Instant time, boolean on) {
    }

    /** The lit hours the store derived for {@code day}, empty while that day is not complete or not stored. */
    OptionalDouble lightHours(LocalDate day);

    /** The lights' state from {@code from} to {@code to}, in time order, about one sample a minute. */
    List<LightSample> lightsOn(Instant from, Instant to);
}
