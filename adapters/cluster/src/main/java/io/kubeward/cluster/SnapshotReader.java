package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeward.cluster.AuditFault.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads every {@link ResourceKind} of a scope, page by page. A kind that cannot be read becomes a
 * fault and the others are still read; after a failure that would repeat for every kind (no
 * connection, a timeout, refused credentials) reading stops, so an audit never waits out one
 * timeout per kind.
 */
final class SnapshotReader {

    private final ClusterConnection connection;
    private final AuditScope scope;
    private final FaultClassifier classifier;

    SnapshotReader(ClusterConnection connection, AuditScope scope) {
        this.connection = connection;
        this.scope = scope;
        this.classifier = new FaultClassifier(connection);
    }

    ClusterSnapshot read() {
        List<HasMetadata> objects = new ArrayList<>();
        Map<ResourceKind, Integer> counts = new EnumMap<>(ResourceKind.class);
        List<AuditFault> faults = new ArrayList<>();
        ResourceKind[] kinds = ResourceKind.values();
        boolean selectorRefused = false;
        for (int i = 0; i < kinds.length; i++) {
            ResourceKind kind = kinds[i];
            if (selectorRefused && kind.selectable()) {
                continue;
            }
            try {
                List<HasMetadata> items = readAll(kind);
                objects.addAll(items);
                counts.put(kind, items.size());
            } catch (KubernetesClientException e) {
                if (Thread.currentThread().isInterrupted()) {
                    faults.add(new AuditFault(Reason.NOT_READ, null, 0, "the audit was interrupted while reading " + kind.display()));
                    break;
                }
                AuditFault fault = classifier.classify(e, kind, "list", FaultClassifier.where(kind, scope));
                if (fault.reason() == Reason.REJECTED && kind.selectable() && scope.labelSelector() != null) {
                    fault = new AuditFault(Reason.REJECTED, null, fault.httpCode(), "the API server refused the label selector '"
                            + scope.labelSelector() + "' (" + FaultClassifier.statusMessage(e) + "); no Pods, workloads or Services were read");
                    selectorRefused = true;
                }
                faults.add(fault);
                if (FaultClassifier.stopsAudit(fault)) {
                    List<ResourceKind> rest = List.of(kinds).subList(i + 1, kinds.length);
                    if (!rest.isEmpty()) {
                        faults.add(new AuditFault(Reason.NOT_READ, null, 0, "stopped reading after the failure above; not read: "
                                + rest.stream().map(ResourceKind::display).collect(Collectors.joining(", "))));
                    }
                    break;
                }
            }
        }
        return new ClusterSnapshot(connection.name(), scope, Instant.now(), objects, counts, faults);
    }

    /**
     * All items of one kind, following continue tokens. When a token expires (410 Gone: the API
     * server compacted the list's resource version while it was being paged) the kind is read once
     * more from the start, as a consistent list needs.
     */
    private List<HasMetadata> readAll(ResourceKind kind) {
        List<HasMetadata> items = new ArrayList<>();
        String token = null;
        boolean restarted = false;
        while (true) {
            KubernetesResourceList<? extends HasMetadata> page;
            try {
                page = kind.operation(connection.client(), scope)
                        .list(new ListOptionsBuilder().withLimit((long) scope.pageSize()).withContinue(token).build());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 410 && token != null && !restarted) {
                    restarted = true;
                    items.clear();
                    token = null;
                    continue;
                }
                throw e;
            }
            if (page.getItems() != null) {
                items.addAll(page.getItems());
            }
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            if (token == null || token.isEmpty()) {
                return items;
            }
        }
    }
}
