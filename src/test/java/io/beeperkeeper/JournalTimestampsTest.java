package io.beeperkeeper;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Log lines carry our time of day unless standard output is the journal systemd named. */
class JournalTimestampsTest {
    @Test
    void aTerminalOrFileGetsTheTime() {
        assertThat(JournalTimestamps.prefix(null, Optional.of("64769:1234"))).isEqualTo("%d{HH:mm:ss.SSS} ");
    }

    @Test
    void theJournalStampsLinesItself() {
        assertThat(JournalTimestamps.prefix("64769:1234", Optional.of("64769:1234"))).isEmpty();
    }

    @Test
    void anInheritedVariableForAnotherStreamKeepsTheTime() {
        assertThat(JournalTimestamps.prefix("64769:1234", Optional.of("64769:999"))).isEqualTo("%d{HH:mm:ss.SSS} ");
        assertThat(JournalTimestamps.prefix("64769:1234", Optional.empty())).isEqualTo("%d{HH:mm:ss.SSS} ");
    }

    @Test
    void thisProcessCanReadItsStandardOutput() {
        assertThat(JournalTimestamps.stdoutIdentity()).hasValueSatisfying(id -> assertThat(id).matches("\\d+:\\d+"));
    }
}
