package io.kubeward.admission;

import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The admission counters and the latency histogram, rendered in the Prometheus text format
 * (version 0.0.4). Thread-safe and lock-free on the request path. Label values are bounded: kinds
 * other than the workload kinds count as {@code other}, and rule ids come from the rule set.
 */
public final class AdmissionMetrics {

    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    /** Outcome of one request, the {@code result} label. */
    public enum Result {
        ALLOWED, DENIED, EXEMPT, ERROR, INVALID;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record RequestKey(String webhook, String operation, String kind, String result, boolean dryRun) {
    }

    private record ViolationKey(String mode, String rule) {
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<ViolationKey, LongAdder> violations = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder evaluationErrors = new LongAdder();
    private final LongAdder certificateReloads = new LongAdder();
    private final LongAdder certificateReloadErrors = new LongAdder();
    private final LongAdder ruleReloads = new LongAdder();
    private final LongAdder ruleReloadErrors = new LongAdder();
    private final LongAdder waited = new LongAdder();
    private volatile java.util.function.IntSupplier inFlight;

    /** Counts one answered (or refused) review. */
    public void request(String webhook, String operation, String kind, Result result, boolean dryRun) {
        RequestKey key = new RequestKey(webhook, operation == null ? "unknown" : operation, kindLabel(kind), result.label(), dryRun);
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Counts one violation reported in a mode (never for dryRun requests). */
    public void violation(Mode mode, String rule) {
        violations.computeIfAbsent(new ViolationKey(mode.label(), rule), k -> new LongAdder()).increment();
    }

    /** A rule evaluation (or anything else kubeward needed to decide) failed. */
    public void evaluationError() {
        evaluationErrors.increment();
    }

    public void certificateReloaded() {
        certificateReloads.increment();
    }

    public void certificateReloadFailed() {
        certificateReloadErrors.increment();
    }

    /** The user's rule folders changed and the new rules were swapped in. */
    public void rulesReloaded() {
        ruleReloads.increment();
    }

    /** The user's rule folders changed but did not compile; the previous rules keep serving. */
    public void rulesReloadFailed() {
        ruleReloadErrors.increment();
    }

    /** A review was decided off the event loops: its namespace's labels were not in memory. */
    public void reviewWaited() {
        waited.increment();
    }

    public long reviewsWaited() {
        return waited.sum();
    }

    /** Where the server's count of requests in flight is read, for the gauge. */
    public void inFlightFrom(java.util.function.IntSupplier requestsInFlight) {
        this.inFlight = requestsInFlight;
    }

    public long ruleReloadErrors() {
        return ruleReloadErrors.sum();
    }

    /** Records how long one HTTP request took, from its arrival to its answer. */
    public void observeLatency(String webhook, long nanos) {
        latency.computeIfAbsent(webhook, k -> new Histogram()).observe(nanos / 1e9);
    }

    /** The count of requests with these labels (for tests and the benchmark). */
    public long requests(String webhook, String operation, String kind, Result result, boolean dryRun) {
        LongAdder a = requests.get(new RequestKey(webhook, operation, kindLabel(kind), result.label(), dryRun));
        return a == null ? 0 : a.sum();
    }

    public long violations(Mode mode, String rule) {
        LongAdder a = violations.get(new ViolationKey(mode.label(), rule));
        return a == null ? 0 : a.sum();
    }

    public long evaluationErrors() {
        return evaluationErrors.sum();
    }

    private static String kindLabel(String kind) {
        return kind != null && Workload.isWorkloadKind(kind) ? kind : "other";
    }

    /** The Prometheus text exposition of every metric. */
    public String render() {
        StringBuilder sb = new StringBuilder(4096);
        header(sb, "kubeward_admission_requests_total", "counter",
                "Admission reviews answered, by webhook, operation, kind, result and dryRun.");
        sorted(requests).forEach(e -> sb.append("kubeward_admission_requests_total{webhook=\"").append(e.getKey().webhook())
                .append("\",operation=\"").append(escape(e.getKey().operation()))
                .append("\",kind=\"").append(e.getKey().kind())
                .append("\",result=\"").append(e.getKey().result())
                .append("\",dry_run=\"").append(e.getKey().dryRun())
                .append("\"} ").append(e.getValue().sum()).append('\n'));
        header(sb, "kubeward_admission_violations_total", "counter",
                "Rule violations reported, by mode (enforce, warn, audit) and rule; dryRun requests are not counted.");
        sorted(violations).forEach(e -> sb.append("kubeward_admission_violations_total{mode=\"").append(e.getKey().mode())
                .append("\",rule=\"").append(escape(e.getKey().rule())).append("\"} ")
                .append(e.getValue().sum()).append('\n'));
        header(sb, "kubeward_admission_rule_evaluation_errors_total", "counter",
                "Reviews that kubeward could not evaluate (a failing rule or namespace lookup); answered as onError says.");
        sb.append("kubeward_admission_rule_evaluation_errors_total ").append(evaluationErrors.sum()).append('\n');
        header(sb, "kubeward_admission_certificate_reloads_total", "counter", "Serving certificates loaded after a change of the files.");
        sb.append("kubeward_admission_certificate_reloads_total ").append(certificateReloads.sum()).append('\n');
        header(sb, "kubeward_admission_certificate_reload_errors_total", "counter",
                "Changed certificate files that could not be loaded (the previous certificate stays in use).");
        sb.append("kubeward_admission_certificate_reload_errors_total ").append(certificateReloadErrors.sum()).append('\n');
        header(sb, "kubeward_rules_reloads_total", "counter", "Changed rule folders compiled and swapped in.");
        sb.append("kubeward_rules_reloads_total ").append(ruleReloads.sum()).append('\n');
        header(sb, "kubeward_rules_reload_errors_total", "counter",
                "Changed rule folders that did not compile (the previous rules keep serving).");
        sb.append("kubeward_rules_reload_errors_total ").append(ruleReloadErrors.sum()).append('\n');
        header(sb, "kubeward_admission_reviews_waited_total", "counter",
                "Reviews decided off the event loops because their namespace's labels were not in memory (read from the API server).");
        sb.append("kubeward_admission_reviews_waited_total ").append(waited.sum()).append('\n');
        java.util.function.IntSupplier f = inFlight;
        if (f != null) {
            header(sb, "kubeward_admission_requests_in_flight", "gauge", "HTTP requests being read, decided or answered now.");
            sb.append("kubeward_admission_requests_in_flight ").append(f.getAsInt()).append('\n');
        }
        header(sb, "kubeward_admission_request_duration_seconds", "histogram",
                "Time from the arrival of an HTTP request to its answer, by webhook.");
        latency.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().render(sb, "kubeward_admission_request_duration_seconds", e.getKey()));
        return sb.toString();
    }

    private static <K> List<Map.Entry<K, LongAdder>> sorted(Map<K, LongAdder> map) {
        List<Map.Entry<K, LongAdder>> list = new ArrayList<>(map.entrySet());
        list.sort((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()));
        return list;
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        private final DoubleAdder sum = new DoubleAdder();

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sum.add(seconds);
        }

        void render(StringBuilder sb, String name, String webhook) {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += counts.get(i);
                String le = i == BUCKETS.length ? "+Inf" : Double.toString(BUCKETS[i]);
                sb.append(name).append("_bucket{webhook=\"").append(webhook).append("\",le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            sb.append(name).append("_sum{webhook=\"").append(webhook).append("\"} ").append(sum.sum()).append('\n');
            sb.append(name).append("_count{webhook=\"").append(webhook).append("\"} ").append(cumulative).append('\n');
        }
    }
}
