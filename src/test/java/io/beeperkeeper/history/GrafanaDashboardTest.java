package io.beeperkeeper.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beeperkeeper.sensor.ReadingKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped Grafana dashboard and Telegraf config: no overlapping panels, the seed's panels and thresholds. */
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of("deploy/grafana/beeper_sensors.json");
    static final Path TELEGRAF = Path.of("deploy/telegraf/telegraf.conf");

    JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(Files.readString(DASHBOARD));
    }

    record Box(String title, int x, int y, int w, int h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    @Test
    void noTwoPanelsOverlapAndAllFitTheGrid() throws Exception {
        List<Box> boxes = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : dashboard().get("panels")) {
            JsonNode g = p.get("gridPos");
            Box b = new Box(p.get("title").asText(), g.get("x").asInt(), g.get("y").asInt(), g.get("w").asInt(), g.get("h").asInt());
            assertThat(b.x()).as(b.title()).isBetween(0, 23);
            assertThat(b.x() + b.w()).as(b.title()).isLessThanOrEqualTo(24);
            assertThat(b.w()).as(b.title()).isPositive();
            assertThat(b.h()).as(b.title()).isPositive();
            assertThat(ids.add(p.get("id").asInt())).as("unique id of " + b.title()).isTrue();
            boxes.add(b);
        }
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(boxes.get(i).overlaps(boxes.get(j))).as(boxes.get(i) + " overlaps " + boxes.get(j)).isFalse();
            }
        }
        // the check itself can fail: two boxes sharing a cell do overlap
        assertThat(new Box("a", 0, 0, 6, 8).overlaps(new Box("b", 5, 7, 6, 8))).isTrue();
        assertThat(new Box("a", 0, 0, 6, 8).overlaps(new Box("b", 6, 0, 6, 8))).isFalse();
    }

    @Test
    void keepsTheSeedsPanels() throws Exception {
        JsonNode d = dashboard();
        JsonNode timeline = panel(d, "Environment timeline");
        String text = timeline.toString();
        assertThat(text).contains("audio_level_db", "\"expression\":\"$E >= 50\"", "Lights on (lux >= 50)", "Temperature $tag_node");

        List<Double> luxSteps = new ArrayList<>();
        List<String> luxColours = new ArrayList<>();
        for (JsonNode s : panel(d, "Light (lux)").at("/fieldConfig/defaults/thresholds/steps")) {
            luxSteps.add(s.get("value").isNull() ? 0 : s.get("value").asDouble());
            luxColours.add(s.get("color").asText());
        }
        assertThat(luxSteps).containsExactly(0.0, 10.0, 50.0, 100.0, 300.0, 500.0, 1000.0, 10000.0);
        assertThat(luxColours.get(0)).isEqualTo("#000000");
        assertThat(luxColours.get(7)).isEqualTo("#ffffff");

        for (JsonNode p : d.get("panels")) {
            if (p.get("type").asText().equals("gauge")) {
                assertThat(p.at("/options/showThresholdLabels").asBoolean()).as(p.get("title").asText()).isTrue();
            }
        }
        JsonNode iaq = panel(d, "Air quality (IAQ)").at("/fieldConfig/defaults/mappings");
        assertThat(iaq.toString()).contains("Excellent", "Good", "Lightly polluted", "Extremely polluted");
        assertThat(panel(d, "Alerts").get("type").asText()).isEqualTo("alertlist");
    }

    @Test
    void telegrafReadsEveryTopicTheHubPublishesIntoTheSameShapeAsTheMirror() throws Exception {
        String conf = Files.readString(TELEGRAF);
        assertThat(conf).contains("[[inputs.mqtt_consumer]]", "[[outputs.influxdb]]", "name_override = \"beeper\"");
        for (ReadingKind k : ReadingKind.values()) {
            assertThat(conf).as(k.name()).contains(k.topicSuffix());
        }
        assertThat(conf).contains("node");
    }

    static JsonNode panel(JsonNode d, String title) {
        for (JsonNode p : d.get("panels")) {
            if (p.get("title").asText().equals(title)) {
                return p;
            }
        }
        throw new AssertionError("no panel titled " + title);
    }
}
