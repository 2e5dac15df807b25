package io.beeperkeeper.alerts;

import io.beeperkeeper.metric.MetricSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the rules: each goes OK -> PENDING (the condition holds) -> FIRING (it held for the rule's
 * duration) -> RESOLVED (it cleared), and the engine decides who is told:
 * <ul>
 *   <li>de-duplicated: a firing rule is announced once, then reminded every {@code renotify} until it
 *       clears or someone acknowledges it (acknowledging stops the reminders until the rule clears);</li>
 *   <li>quiet hours hold back the push of warnings and info until they end (critical alerts are
 *       urgent and always go out); the page and the MQTT state are never held back;</li>
 *   <li>a condition that gets worse (heat stress from alert to danger) is announced again.</li>
 * </ul>
 * States are saved on every change, so a rule already firing is neither forgotten nor announced
 * again after a restart. Thread-safe; events go to the sink under the lock, so the sink must not block.
 */
public final class AlertEngine {
    private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

    /** When to repeat and when to keep quiet. */
    record Policy(Duration renotify, LocalTime quietFrom, LocalTime quietTo, ZoneId zone) {
        public static Policy of(Duration renotify) {
            return new Policy(renotify, null, null, java.time.ZoneOffset.UTC);
        }

        /** Whether {@code t} falls in the quiet hours (which may run past midnight). */
        public boolean quiet(Instant t) {
            if (quietFrom == null || quietTo == null) {
                return false;
            }
            LocalTime lt = t.atZone(zone).toLocalTime();
            return quietFrom.isBefore(quietTo) ? !lt.isBefore(quietFrom) && lt.isBefore(quietTo)
                    : !lt.isBefore(quietFrom) || lt.isBefore(quietTo);
        }
    }

    /** The answer to an acknowledgement. */
    public enum AckResult { ACKNOWLEDGED, NOT_FIRING, ALREADY, UNKNOWN_RULE }

    private static final class Entry {
        final Rule rule;
        AlertState state = AlertState.OK;
        Instant pendingSince;
        Instant firingSince;
        Instant changedAt;
        Instant notifiedAt;
        Severity notifiedSeverity;
        boolean owed;
        Instant ackAt;
        String ackBy;
        double value = Double.NaN;
        Severity severity;
        String detail = "";
        boolean simulated;

        Entry(Rule rule) {
            this.rule = rule;
            this.severity = rule.severity();
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Clock clock;
    private final Policy policy;
    private final AlertStates states;
    private final AlertSink sink;
    private final AtomicLong saveFailures = new AtomicLong();
    private volatile String lastSaveError;

    AlertEngine(List<Rule> rules, Clock clock, Policy policy, AlertStates states, AlertSink sink) {
        this.clock = clock;
        this.policy = policy;
        this.states = states;
        this.sink = sink;
        for (Rule r : rules) {
            if (entries.put(r.id(), new Entry(r)) != null) {
                throw new IllegalArgumentException("two rules named " + r.id());
            }
        }
    }

    /** Takes back the states saved by the last run (rules no longer configured are dropped). */
    synchronized void restore() {
        for (Map.Entry<String, StateFile.Saved> s : states.load().entrySet()) {
            Entry e = entries.get(s.getKey());
            if (e == null) {
                continue;
            }
            StateFile.Saved v = s.getValue();
            try {
                e.state = AlertState.valueOf(v.state());
            } catch (IllegalArgumentException | NullPointerException ex) {
                continue;
            }
            e.pendingSince = instant(v.pendingSince());
            e.firingSince = instant(v.firingSince());
            e.notifiedAt = instant(v.notifiedAt());
            e.notifiedSeverity = v.notifiedSeverity() == null ? null : Severity.of(v.notifiedSeverity());
            e.owed = v.owed();
            e.ackAt = instant(v.acknowledgedAt());
            e.ackBy = v.acknowledgedBy();
            e.value = v.value() == null ? Double.NaN : v.value();
            e.severity = v.severity() == null ? e.rule.severity() : Severity.of(v.severity());
            e.detail = v.detail() == null ? "" : v.detail();
            e.simulated = v.simulated();
            if (e.state == AlertState.PENDING && e.pendingSince == null || e.state == AlertState.FIRING && e.firingSince == null) {
                e.state = AlertState.OK;
            }
        }
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    private static Long ms(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** Feeds a sample to every rule and evaluates those that read its metric. */
    synchronized void onSample(MetricSample s, boolean simulated) {
        Instant now = clock.instant();
        boolean changed = false;
        for (Entry e : entries.values()) {
            e.rule.condition().onSample(s, simulated);
        }
        for (Entry e : entries.values()) {
            if (e.rule.condition().metric().equals(s.metric())) {
                changed |= evaluate(e, now);
            }
        }
        if (changed) {
            save();
        }
    }

    /** Evaluates every rule (durations, missing data, health): called every few seconds. */
    synchronized void tick() {
        Instant now = clock.instant();
        boolean changed = false;
        for (Entry e : entries.values()) {
            changed |= evaluate(e, now);
        }
        if (changed) {
            save();
        }
    }

    private boolean evaluate(Entry e, Instant now) {
        Verdict v;
        try {
            v = e.rule.condition().evaluate(now, e.state.active());
        } catch (RuntimeException ex) {
            log.warn("alert rule {} failed to evaluate: {}", e.rule.id(), ex.toString());
            return false;
        }
        if (v.status() == Verdict.Status.UNKNOWN) {
            return false;
        }
        e.value = v.value();
        e.detail = v.detail();
        e.simulated = v.simulated();
        Severity sev = v.severity() != null ? v.severity() : e.rule.severity();
        boolean breached = v.breached();
        switch (e.state) {
            case OK, RESOLVED -> {
                if (!breached) {
                    return false;
                }
                e.severity = sev;
                e.pendingSince = now;
                e.changedAt = now;
                if (e.rule.forDuration().isZero()) {
                    fire(e, now);
                } else {
                    e.state = AlertState.PENDING;
                    emit(AlertEvent.Type.PENDING, e, false, now);
                }
                return true;
            }
            case PENDING -> {
                if (!breached) {
                    e.state = AlertState.OK;
                    e.changedAt = now;
                    emit(AlertEvent.Type.CANCELLED, e, false, now);
                    return true;
                }
                e.severity = sev;
                if (Duration.between(e.pendingSince, now).compareTo(e.rule.forDuration()) >= 0) {
                    fire(e, now);
                    return true;
                }
                return false;
            }
            case FIRING -> {
                if (!breached) {
                    resolve(e, now);
                    return true;
                }
                return firing(e, sev, now);
            }
            default -> {
                return false;
            }
        }
    }

    private boolean allowed(Severity sev, Instant now) {
        return sev.urgent() || !policy.quiet(now);
    }

    private void fire(Entry e, Instant now) {
        e.state = AlertState.FIRING;
        e.firingSince = now;
        e.changedAt = now;
        e.ackAt = null;
        e.ackBy = null;
        boolean push = allowed(e.severity, now);
        e.owed = !push;
        e.notifiedAt = push ? now : null;
        e.notifiedSeverity = push ? e.severity : null;
        emit(AlertEvent.Type.FIRING, e, push, now);
    }

    private boolean firing(Entry e, Severity sev, Instant now) {
        if (sev.compareTo(e.severity) > 0) {
            e.severity = sev;
            e.changedAt = now;
            boolean push = allowed(sev, now);
            if (push) {
                e.notifiedAt = now;
                e.notifiedSeverity = sev;
                e.owed = false;
            } else {
                e.owed = true;
            }
            emit(AlertEvent.Type.ESCALATED, e, push, now);
            return true;
        }
        if (sev.compareTo(e.severity) < 0) {
            e.severity = sev; // milder now: shown, not announced
            emit(AlertEvent.Type.ESCALATED, e, false, now);
            return true;
        }
        if (e.owed && e.ackAt == null && allowed(e.severity, now)) {
            e.owed = false;
            e.notifiedAt = now;
            e.notifiedSeverity = e.severity;
            emit(AlertEvent.Type.FIRING, e, true, now);
            return true;
        }
        Duration every = policy.renotify();
        if (e.ackAt == null && !every.isZero() && e.notifiedAt != null
                && Duration.between(e.notifiedAt, now).compareTo(every) >= 0 && allowed(e.severity, now)) {
            e.notifiedAt = now;
            emit(AlertEvent.Type.REMINDER, e, true, now);
            return true;
        }
        return false;
    }

    private void resolve(Entry e, Instant now) {
        boolean push = e.notifiedAt != null && allowed(e.severity, now);
        String episode = episode(e);
        e.state = AlertState.RESOLVED;
        e.changedAt = now;
        sink.accept(new AlertEvent(AlertEvent.Type.RESOLVED, view(e), push, now, episode));
        e.ackAt = null;
        e.ackBy = null;
        e.owed = false;
        e.notifiedAt = null;
        e.notifiedSeverity = null;
        e.firingSince = null;
    }

    private static String episode(Entry e) {
        return e.firingSince == null ? null : e.rule.id() + "@" + e.firingSince.toEpochMilli();
    }

    private void emit(AlertEvent.Type type, Entry e, boolean push, Instant now) {
        try {
            sink.accept(new AlertEvent(type, view(e), push, now, episode(e)));
        } catch (RuntimeException ex) {
            log.warn("alert event {} of {} not delivered: {}", type, e.rule.id(), ex.toString());
        }
    }

    /** Stops the reminders of a firing rule until it clears. */
    public synchronized AckResult acknowledge(String id, String by) {
        Entry e = entries.get(id);
        if (e == null) {
            return AckResult.UNKNOWN_RULE;
        }
        if (e.state != AlertState.FIRING) {
            return AckResult.NOT_FIRING;
        }
        if (e.ackAt != null) {
            return AckResult.ALREADY;
        }
        Instant now = clock.instant();
        e.ackAt = now;
        e.ackBy = by == null || by.isBlank() ? "someone" : by;
        e.owed = false;
        emit(AlertEvent.Type.ACKNOWLEDGED, e, false, now);
        save();
        return AckResult.ACKNOWLEDGED;
    }

    public synchronized List<AlertView> views() {
        List<AlertView> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(view(e));
        }
        return out;
    }

    public synchronized Optional<AlertView> view(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(view(e));
    }

    /** Where a rule is now; empty for an unknown rule. */
    public synchronized Optional<AlertState> state(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.state);
    }

    public synchronized List<Rule> rules() {
        return entries.values().stream().map(e -> e.rule).toList();
    }

    private static AlertView view(Entry e) {
        Instant since = switch (e.state) {
            case FIRING -> e.firingSince;
            case PENDING -> e.pendingSince;
            default -> e.changedAt;
        };
        return new AlertView(e.rule.id(), e.rule.title(), e.severity.label(), e.state.label(), since,
                Double.isNaN(e.value) ? null : e.value, e.rule.unit(), e.detail, e.ackAt != null, e.ackBy, e.ackAt,
                e.simulated, e.rule.source());
    }

    private void save() {
        Map<String, StateFile.Saved> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            out.put(e.rule.id(), new StateFile.Saved(e.state.name(), ms(e.pendingSince), ms(e.firingSince), ms(e.notifiedAt),
                    e.notifiedSeverity == null ? null : e.notifiedSeverity.label(), e.owed, ms(e.ackAt), e.ackBy,
                    Double.isNaN(e.value) ? null : e.value, e.severity.label(), e.detail, e.simulated));
        }
        try {
            states.save(out);
        } catch (IOException | RuntimeException ex) {
            saveFailures.incrementAndGet();
            lastSaveError = ex.toString();
            log.warn("alert states not saved: {}", ex.toString());
        }
    }

    long saveFailures() {
        return saveFailures.get();
    }

    String lastSaveError() {
        return lastSaveError;
    }
}
