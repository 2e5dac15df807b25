package io.beeperkeeper.feature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Builds the hub's JSON mapper. {@code App} makes one and hands it to every feature, so every MQTT
 * payload and API answer is written the same way; {@code ConfigLoader} reads beeper.yaml with its YAML
 * twin.
 *
 * <p>Numbers are written as plain decimals: a timestamp in epoch seconds is {@code 1796152234.443},
 * never Java's {@code 1.796152234443E9}, which Telegraf, shell scripts and people reading
 * {@code mosquitto_sub} stumble over. The range is JavaScript's (plain from 1e-7 to below 1e21,
 * exponent outside it), so a hostile 1e308 never becomes 309 digits. The digits are the shortest that
 * read back as the same double, as before, and
 * a whole number keeps its {@code .0}.
 */
public final class Json {
    private Json() {
    }

    public static ObjectMapper newMapper() {
        return new ObjectMapper(JsonFactory.builder().addDecorator(PLAIN_NUMBERS).build());
    }

    /** The mapper that reads beeper.yaml: the same defaults, with YAML as its text format. */
    public static ObjectMapper newYamlMapper() {
        return new ObjectMapper(new YAMLFactory());
    }

    private static final JsonGeneratorDecorator PLAIN_NUMBERS = (factory, generator) -> new PlainNumbers(generator);

    /** Writes every double and float through {@link #plain(double)}. */
    private static final class PlainNumbers extends JsonGeneratorDelegate {
        PlainNumbers(JsonGenerator d) {
            super(d, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            String p = plain(v);
            if (p == null) {
                super.writeNumber(v);
            } else {
                super.writeNumber(p);
            }
        }

        @Override
        public void writeNumber(float v) throws IOException {
            // through Float.toString, so 0.1f stays 0.1 and does not become 0.10000000149011612
            String p = Float.isFinite(v) ? plain(Double.parseDouble(Float.toString(v))) : null;
            if (p == null) {
                super.writeNumber(v);
            } else {
                super.writeNumber(p);
            }
        }
    }

    /** The plain decimal text of {@code v}, or null where Jackson's own form is kept (NaN, infinities, huge or tiny). */
    static String plain(double v) {
        double a = Math.abs(v);
        if (!Double.isFinite(v) || (a != 0 && (a < 1e-7 || a >= 1e21))) {
            return null;
        }
        String p = BigDecimal.valueOf(v).toPlainString();
        // a whole number keeps its ".0", as 22.0 does, so a double always reads as one
        return p.indexOf('.') < 0 ? p + ".0" : p;
    }
}
