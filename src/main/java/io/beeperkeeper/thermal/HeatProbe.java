package io.beeperkeeper.thermal;

import java.io.IOException;

/** Where the governor reads the CPU's heat: the thermal zone and the firmware's throttle word in production, files in tests. */
public interface HeatProbe {
    Heat read() throws IOException;

    /** Whether this machine has the source at all (a machine without a thermal zone has nothing to govern). */
    boolean available();

    /** Where it reads from, for health ("/sys/class/thermal/thermal_zone0/temp"). */
    String describe();
}
