package io.kubeward.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeward.cluster.AuditFault.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns a client failure into an {@link AuditFault} whose message says what it means and what to do. */
final class FaultClassifier {

    static final String RBAC_HINT = "deploy/auditor/clusterrole.yaml";

    private final String server;
    private final String cluster;

    FaultClassifier(ClusterConnection connection) {
        this.server = connection.serverUrl();
        this.cluster = connection.name();
    }

    /**
     * @param action what was being done, e.g. "list", "watch"
     * @param where  "in all namespaces", "in namespace x" or "" for cluster-scoped kinds
     */
    AuditFault classify(Throwable error, ResourceKind kind, String action, String where) {
        String what = action + " " + (kind == null ? "objects" : kind.display()) + (where.isEmpty() ? "" : " " + where);
        // informers hand over their failures wrapped (CompletionException, WatcherException)
        KubernetesClientException answered = answered(error);
        int code = answered == null ? 0 : answered.getCode();
        String detail = answered == null ? "" : statusMessage(answered);
        switch (code) {
            case 401:
                return new AuditFault(Reason.UNAUTHORIZED, kind, code, "the API server at " + server + " refused the credentials of '"
                        + cluster + "' (401 Unauthorized) when trying to " + what + ": log in again or check the kubeconfig's user");
            case 403:
                return new AuditFault(Reason.FORBIDDEN, kind, code, "not allowed to " + what + " (403 Forbidden"
                        + (detail.isEmpty() ? "" : ": " + detail) + "); the audit is missing them and every finding that depends on them. "
                        + "Grant list and watch on " + (kind == null ? "the audited kinds" : kind.display()) + ", e.g. with " + RBAC_HINT);
            case 404:
                return new AuditFault(Reason.NOT_SERVED, kind, code, "the API server does not serve "
                        + (kind == null ? "this resource" : kind.display() + " (" + apiVersion(kind) + ")") + " (404 Not Found); "
                        + "the audit is missing them");
            case 410:
                return new AuditFault(Reason.EXPIRED, kind, code, "could not " + what + ": the list expired while it was read in pages (410 Gone"
                        + (detail.isEmpty() ? "" : ": " + detail) + "), twice; the cluster changes faster than it is read, try a larger page size");
            case 400:
            case 422:
                return new AuditFault(Reason.REJECTED, kind, code, "the API server refused to " + what + " (" + code
                        + (detail.isEmpty() ? "" : ": " + detail) + ")");
            case 0:
                break;
            default:
                return new AuditFault(Reason.SERVER_ERROR, kind, code, "the API server failed to " + what + " (HTTP " + code
                        + (detail.isEmpty() ? "" : ": " + detail) + "); the audit is missing them");
        }
        if (isTimeout(error)) {
            return new AuditFault(Reason.TIMEOUT, kind, 0, "the API server at " + server + " did not answer in time when trying to "
                    + what + " (" + rootMessage(error) + ")");
        }
        return new AuditFault(Reason.UNREACHABLE, kind, 0, "cannot reach the API server at " + server + " to " + what + " ("
                + rootMessage(error) + "); check --kubeconfig/--context and that the cluster is up");
    }

    /**
     * The first client exception in the cause chain that carries an HTTP status; fabric8 reports -1
     * (or 0) when no answer came at all.
     */
    static KubernetesClientException answered(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k;
            }
        }
        return null;
    }

    /** "in all namespaces", "in namespace x", or "" for cluster-scoped kinds, for messages. */
    static String where(ResourceKind kind, AuditScope scope) {
        if (!kind.namespaced()) {
            return "";
        }
        return scope.namespace() == null ? "in all namespaces" : "in namespace " + scope.namespace();
    }

    /**
     * One fault for failures every kind shares (no connection, a timeout, refused credentials),
     * naming the kinds affected; other faults as they are.
     */
    static List<AuditFault> condense(List<AuditFault> faults) {
        List<AuditFault> out = new ArrayList<>();
        Map<Reason, List<AuditFault>> shared = new EnumMap<>(Reason.class);
        for (AuditFault f : faults) {
            if (stopsAudit(f) && f.resource() != null) {
                shared.computeIfAbsent(f.reason(), r -> new ArrayList<>()).add(f);
            } else {
                out.add(f);
            }
        }
        shared.forEach((reason, list) -> {
            if (list.size() == 1) {
                out.add(list.get(0));
            } else {
                out.add(new AuditFault(reason, null, list.get(0).httpCode(), list.get(0).message() + "; the same for "
                        + list.subList(1, list.size()).stream().map(f -> f.resource().display()).collect(Collectors.joining(", "))));
            }
        });
        return out;
    }

    /** True for failures after which no further request to this API server is worth making. */
    static boolean stopsAudit(AuditFault fault) {
        return switch (fault.reason()) {
            case UNREACHABLE, TIMEOUT, UNAUTHORIZED -> true;
            default -> false;
        };
    }

    static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
            String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (name.contains("timeout") || msg.contains("timed out") || msg.contains("timeout period")) {
                return true;
            }
        }
        return false;
    }

    static boolean isConnectionFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SSLException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String apiVersion(ResourceKind kind) {
        return kind.group().isEmpty() ? "v1" : kind.group() + "/v1";
    }

    /** The API server's own explanation (Status.message), if it sent one. */
    static String statusMessage(Throwable error) {
        if (error instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage().strip();
        }
        return "";
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }
}
