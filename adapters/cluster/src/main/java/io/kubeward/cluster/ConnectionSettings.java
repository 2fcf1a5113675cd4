package io.kubeward.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the API server: which kubeconfig and context (both optional: without them the
 * usual lookup applies, {@code $KUBECONFIG}, {@code ~/.kube/config}, then the pod's service
 * account), and the client's time limits. Every request is bounded, so an unreachable or stalled
 * API server ends an audit with a fault instead of hanging it.
 *
 * @param kubeconfig     the kubeconfig file, or null for the usual lookup
 * @param context        the kubeconfig context, or null for the file's current context
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param requestTimeout how long to wait for one response (one page of a list)
 * @param retries        how often a request that failed on the network or with a 5xx is retried
 */
public record ConnectionSettings(Path kubeconfig, String context, Duration connectTimeout, Duration requestTimeout, int retries) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 1;

    public ConnectionSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive (connect " + connectTimeout + ", request " + requestTimeout + ")");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        if (context != null && context.isBlank()) {
            context = null;
        }
    }

    /** The usual kubeconfig lookup and current context, 10 s to connect, 30 s per request, one retry. */
    public static ConnectionSettings defaults() {
        return new ConnectionSettings(null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRIES);
    }

    public ConnectionSettings withKubeconfig(Path file) {
        return new ConnectionSettings(file, context, connectTimeout, requestTimeout, retries);
    }

    public ConnectionSettings withContext(String name) {
        return new ConnectionSettings(kubeconfig, name, connectTimeout, requestTimeout, retries);
    }

    public ConnectionSettings withConnectTimeout(Duration d) {
        return new ConnectionSettings(kubeconfig, context, d, requestTimeout, retries);
    }

    public ConnectionSettings withRequestTimeout(Duration d) {
        return new ConnectionSettings(kubeconfig, context, connectTimeout, d, retries);
    }

    public ConnectionSettings withRetries(int n) {
        return new ConnectionSettings(kubeconfig, context, connectTimeout, requestTimeout, n);
    }
}
