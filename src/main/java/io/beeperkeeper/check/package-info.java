/**
 * {@code beeper check}: what this machine offers the hub (cameras, microphones, I2C and the BME680, the
 * Pi's firmware tools, ffmpeg and its encoders, the data folder's disk, the ports) and what
 * {@code beeper run} will use, each missing part with the exact fix. Probes read a configurable root
 * ({@link io.beeperkeeper.check.Host}) so tests give them fake sysfs, procfs and dev trees.
 */
package io.beeperkeeper.check;
