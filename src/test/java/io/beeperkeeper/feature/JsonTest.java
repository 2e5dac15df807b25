package io.beeperkeeper.feature;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub's JSON mapper writes numbers as plain decimals, in trees, maps and records alike. */
class JsonTest {
    private final ObjectMapper json = Json.newMapper();

    record Point(double timestamp, float value) {
    }

    @Test
    void epochSecondsArePlainDecimalsNeverScientific() throws Exception {
        ObjectNode tree = json.createObjectNode();
        tree.put("timestamp", 1796152234.443);
        assertThat(json.writeValueAsString(tree)).isEqualTo("{\"timestamp\":1796152234.443}");

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("timestamp", 1796152234443L / 1000.0);
        map.put("big", 1.0E7);
        map.put("small", 0.00012);
        assertThat(json.writeValueAsString(map)).isEqualTo("{\"timestamp\":1796152234.443,\"big\":10000000.0,\"small\":0.00012}");

        assertThat(json.writeValueAsString(new Point(1796152234.0, 0.1f))).isEqualTo("{\"timestamp\":1796152234.0,\"value\":0.1}");
    }

    @Test
    void ordinaryValuesKeepTheirShortestDigits() throws Exception {
        assertThat(json.writeValueAsString(new double[]{21.5, 22.0, -3.25, 0.0, 1013.25})).isEqualTo("[21.5,22.0,-3.25,0.0,1013.25]");
    }

    @Test
    void absurdMagnitudesStayShort() throws Exception {
        assertThat(json.writeValueAsString(new double[]{1e308, 1e-300})).isEqualTo("[1.0E308,1.0E-300]");
        assertThat(json.readTree(json.writeValueAsString(new double[]{1796152234.443})).get(0).asDouble()).isEqualTo(1796152234.443);
    }
}
