package io.beeperkeeper.alerts;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the rules' states are kept between runs ({@link StateFile}); {@link #NONE} keeps nothing. */
interface AlertStates {
    AlertStates NONE = new AlertStates() {
        @Override
        public Map<String, StateFile.Saved> load() {
            return new LinkedHashMap<>();
        }

        @Override
        public void save(Map<String, StateFile.Saved> states) {
        }
    };

    Map<String, StateFile.Saved> load();

    void save(Map<String, StateFile.Saved> states) throws IOException;
}
