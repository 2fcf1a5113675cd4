package io.kubeward.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ClusterWatcher} keeps its audit current.
 *
 * @param resync       how often the whole snapshot is audited again even when nothing changed, and
 *                     kinds whose watch had to stop (a 403, say) are tried again
 * @param settle       how long to wait after a change before auditing, so a burst of changes (a
 *                     rollout) gives one audit, not hundreds
 * @param startTimeout how long {@link ClusterWatcher#start} waits for the first list of every kind
 */
public record WatchSettings(Duration resync, Duration settle, Duration startTimeout) {

    public WatchSettings {
        Objects.requireNonNull(resync, "resync");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (resync.isNegative() || resync.isZero() || startTimeout.isNegative() || startTimeout.isZero() || settle.isNegative()) {
            throw new IllegalArgumentException("resync and start timeout must be positive and settle not negative (resync "
                    + resync + ", settle " + settle + ", start timeout " + startTimeout + ")");
        }
    }

    /** Resync every 5 minutes, 1 s to settle, 60 s to start. */
    public static WatchSettings defaults() {
        return new WatchSettings(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public WatchSettings withResync(Duration d) {
        return new WatchSettings(d, settle, startTimeout);
    }

    public WatchSettings withSettle(Duration d) {
        return new WatchSettings(resync, d, startTimeout);
    }

    public WatchSettings withStartTimeout(Duration d) {
        return new WatchSettings(resync, settle, d);
    }
}
