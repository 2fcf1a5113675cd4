package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.engine.Finding;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Renders an {@link AuditResult} as {@code wgpolicyk8s.io/v1alpha2} reports: a {@code PolicyReport}
 * per namespace with findings, and a {@code ClusterPolicyReport} for cluster-scoped objects and
 * for the faults of a partial audit. Writes them as YAML, or applies them to a cluster.
 *
 * <p>Each report holds at most {@link #resultsPerReport()} results (1,000 by default): larger
 * sets are split into parts named {@code kubeward-<namespace>-0}, {@code -1}, … and
 * {@code kubeward-cluster-0}, … The names are stable, so applying again updates the same objects.
 *
 * <p>Mapping: one result per finding; {@code policy} and {@code rule} are the rule id,
 * {@code category} its category, {@code severity} the finding's. {@code result} is {@code fail}
 * for medium, high and critical findings, {@code warn} for low and info, {@code skip} for exempted
 * findings; a fault of the audit is an {@code error} result of policy {@code kubeward-audit}.
 * {@code properties} carry the field {@code path}, the {@code container}, the {@code pods} a
 * workload's finding stands for, and an exemption. Clean objects do not appear (no {@code pass}
 * results).
 */
public final class PolicyReportWriter {

    public static final String API_VERSION = "wgpolicyk8s.io/v1alpha2";
    public static final int DEFAULT_RESULTS_PER_REPORT = 1000;
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "kubeward";
    public static final String PART_LABEL = "kubeward.io/report-part";
    public static final String PARTIAL_ANNOTATION = "kubeward.io/partial";
    public static final String CLUSTER_ANNOTATION = "kubeward.io/cluster";
    public static final String AUDIT_TIME_ANNOTATION = "kubeward.io/audit-time";
    /** The policy name of results that report faults of the audit itself. */
    public static final String AUDIT_POLICY = "kubeward-audit";

    static final ResourceDefinitionContext POLICY_REPORTS = new ResourceDefinitionContext.Builder()
            .withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind("PolicyReport").withPlural("policyreports")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext CLUSTER_POLICY_REPORTS = new ResourceDefinitionContext.Builder()
            .withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind("ClusterPolicyReport").withPlural("clusterpolicyreports")
            .withNamespaced(false).build();

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final RuleCatalog catalog;
    private final int resultsPerReport;

    /** @param catalog the engine's rules, for each result's category (null: no category) */
    public PolicyReportWriter(RuleCatalog catalog) {
        this(catalog, DEFAULT_RESULTS_PER_REPORT);
    }

    public PolicyReportWriter(RuleCatalog catalog, int resultsPerReport) {
        if (resultsPerReport < 1) {
            throw new IllegalArgumentException("results per report must be at least 1: " + resultsPerReport);
        }
        this.catalog = catalog;
        this.resultsPerReport = resultsPerReport;
    }

    public int resultsPerReport() {
        return resultsPerReport;
    }

    /** The reports of an audit: namespaces in name order, then the cluster report. */
    public List<GenericKubernetesResource> reports(AuditResult audit) {
        Map<String, List<Map<String, Object>>> byNamespace = new TreeMap<>();
        List<Map<String, Object>> clusterScoped = new ArrayList<>();
        long seconds = audit.time().getEpochSecond();
        for (AuditFault fault : audit.faults()) {
            clusterScoped.add(faultResult(fault, seconds));
        }
        for (Finding f : audit.findings()) {
            String ns = f.resource().namespace();
            Map<String, Object> result = findingResult(f, audit, seconds);
            if (ns == null || ns.isEmpty()) {
                clusterScoped.add(result);
            } else {
                byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(result);
            }
        }
        List<GenericKubernetesResource> out = new ArrayList<>();
        byNamespace.forEach((ns, results) -> out.addAll(split(audit, ns, results)));
        if (!clusterScoped.isEmpty()) {
            out.addAll(split(audit, null, clusterScoped));
        }
        return out;
    }

    /** The reports as YAML documents separated by {@code ---}; nothing when there is nothing to report. */
    public void write(AuditResult audit, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (GenericKubernetesResource report : reports(audit)) {
            String yaml = SERIALIZATION.asYaml(report);
            if (!yaml.startsWith("---")) {
                w.write("---\n");
            }
            w.write(yaml);
            if (!yaml.endsWith("\n")) {
                w.write('\n');
            }
        }
        w.flush();
    }

    /**
     * Creates or updates the audit's reports in the cluster, and deletes kubeward's reports the
     * audit no longer needs (a namespace now clean, a part no longer used) within the audit's
     * scope: all namespaces, or the one audited. Reports whose results did not change are left
     * alone. Needs get, list, create, update and delete on policyreports and clusterpolicyreports.
     */
    public ApplyResult apply(AuditResult audit, KubernetesClient client) {
        List<GenericKubernetesResource> desired = reports(audit);
        List<String> errors = new ArrayList<>();
        Map<String, GenericKubernetesResource> existing = new HashMap<>();
        try {
            listManaged(client, audit.scope().namespace()).forEach(r -> existing.put(key(r), r));
        } catch (KubernetesClientException e) {
            errors.add(applyError("list", "kubeward's reports", e));
            return new ApplyResult(0, 0, 0, 0, errors);
        }
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int deleted = 0;
        for (GenericKubernetesResource report : desired) {
            GenericKubernetesResource current = existing.remove(key(report));
            try {
                if (current == null) {
                    operation(client, report).resource(report).create();
                    created++;
                } else if (sameContent(current, report)) {
                    unchanged++;
                } else {
                    report.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                    operation(client, report).resource(report).update();
                    updated++;
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && retryAfterConflict(client, report, errors)) {
                    updated++;
                    continue;
                }
                errors.add(applyError(current == null ? "create" : "update", describe(report), e));
                if (stopsApplying(e)) {
                    return new ApplyResult(created, updated, unchanged, deleted, errors);
                }
            }
        }
        for (GenericKubernetesResource stale : existing.values()) {
            try {
                operation(client, stale).resource(stale).delete();
                deleted++;
            } catch (KubernetesClientException e) {
                errors.add(applyError("delete", describe(stale), e));
                if (stopsApplying(e)) {
                    break;
                }
            }
        }
        return new ApplyResult(created, updated, unchanged, deleted, errors);
    }

    private List<GenericKubernetesResource> split(AuditResult audit, String namespace, List<Map<String, Object>> results) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        int parts = (results.size() + resultsPerReport - 1) / resultsPerReport;
        for (int part = 0; part < parts; part++) {
            List<Map<String, Object>> slice = results.subList(part * resultsPerReport, Math.min(results.size(), (part + 1) * resultsPerReport));
            out.add(report(audit, namespace, part, parts, slice));
        }
        return out;
    }

    private GenericKubernetesResource report(AuditResult audit, String namespace, int part, int parts, List<Map<String, Object>> results) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(API_VERSION);
        r.setKind(namespace == null ? "ClusterPolicyReport" : "PolicyReport");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CLUSTER_ANNOTATION, audit.cluster());
        annotations.put(AUDIT_TIME_ANNOTATION, audit.time().toString());
        annotations.put(PARTIAL_ANNOTATION, String.valueOf(audit.partial()));
        annotations.put("kubeward.io/report-parts", String.valueOf(parts));
        r.setMetadata(new ObjectMetaBuilder()
                .withName(reportName(namespace, part))
                .withNamespace(namespace)
                .addToLabels(MANAGED_BY, MANAGER)
                .addToLabels(PART_LABEL, String.valueOf(part))
                .withAnnotations(annotations)
                .build());
        Map<String, Integer> summary = new LinkedHashMap<>();
        for (String s : List.of("pass", "fail", "warn", "error", "skip")) {
            summary.put(s, 0);
        }
        for (Map<String, Object> result : results) {
            summary.merge((String) result.get("result"), 1, Integer::sum);
        }
        r.setAdditionalProperty("summary", summary);
        r.setAdditionalProperty("results", new ArrayList<>(results));
        return r;
    }

    /** {@code kubeward-<namespace>-<part>}, {@code kubeward-cluster-<part>}. */
    public static String reportName(String namespace, int part) {
        return "kubeward-" + (namespace == null ? "cluster" : namespace) + "-" + part;
    }

    private Map<String, Object> findingResult(Finding f, AuditResult audit, long seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("policy", f.rule());
        r.put("rule", f.rule());
        String category = category(f.rule());
        if (category != null) {
            r.put("category", category);
        }
        r.put("severity", f.severity().label());
        r.put("result", f.isExempted() ? "skip" : f.severity().atLeast(Severity.MEDIUM) ? "fail" : "warn");
        r.put("scored", true);
        r.put("source", MANAGER);
        r.put("message", f.message());
        r.put("timestamp", timestamp(seconds));
        r.put("resources", List.of(reference(f.resource(), audit.uid(f.resource()))));
        Map<String, String> properties = new LinkedHashMap<>();
        if (f.path() != null) {
            properties.put("path", f.path());
        }
        if (f.container() != null) {
            properties.put("container", f.container());
        }
        int pods = audit.podsAffected(f);
        if (!"Pod".equals(f.resource().kind()) && audit.podsPerOwner().containsKey(f.resource())) {
            properties.put("pods", String.valueOf(pods));
        }
        if (f.isExempted()) {
            properties.put("exemption", f.exemption().source());
            properties.put("exemptionReason", f.exemption().reason());
        }
        r.put("properties", properties);
        return r;
    }

    private static Map<String, Object> faultResult(AuditFault fault, long seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("policy", AUDIT_POLICY);
        r.put("rule", "read-" + (fault.resource() == null ? "cluster" : fault.resource().plural()));
        r.put("result", "error");
        r.put("scored", false);
        r.put("source", MANAGER);
        r.put("message", fault.message());
        r.put("timestamp", timestamp(seconds));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("reason", fault.reason().name());
        if (fault.resource() != null) {
            properties.put("resource", fault.resource().display());
        }
        if (fault.httpCode() != 0) {
            properties.put("httpCode", String.valueOf(fault.httpCode()));
        }
        r.put("properties", properties);
        return r;
    }

    private static Map<String, Object> timestamp(long seconds) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("seconds", seconds);
        t.put("nanos", 0);
        return t;
    }

    private static Map<String, Object> reference(ResourceRef ref, String uid) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", ref.apiVersion());
        o.put("kind", ref.kind());
        if (ref.namespace() != null && !ref.namespace().isEmpty()) {
            o.put("namespace", ref.namespace());
        }
        o.put("name", ref.name());
        if (uid != null) {
            o.put("uid", uid);
        }
        return o;
    }

    private String category(String rule) {
        return catalog == null ? null : catalog.find(rule).map(RuleDescriptor::category).orElse(null);
    }

    private static List<GenericKubernetesResource> listManaged(KubernetesClient client, String namespace) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> reports = client.genericKubernetesResources(POLICY_REPORTS);
        out.addAll((namespace == null ? reports.inAnyNamespace() : reports.inNamespace(namespace))
                .withLabel(MANAGED_BY, MANAGER).list().getItems());
        out.addAll(client.genericKubernetesResources(CLUSTER_POLICY_REPORTS).withLabel(MANAGED_BY, MANAGER).list().getItems());
        return out;
    }

    private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation(
            KubernetesClient client, GenericKubernetesResource report) {
        return "ClusterPolicyReport".equals(report.getKind())
                ? client.genericKubernetesResources(CLUSTER_POLICY_REPORTS)
                : client.genericKubernetesResources(POLICY_REPORTS);
    }

    /** Someone changed the report in between: take its current version and write ours over it once. */
    private static boolean retryAfterConflict(KubernetesClient client, GenericKubernetesResource report, List<String> errors) {
        try {
            GenericKubernetesResource now = (report.getMetadata().getNamespace() == null
                    ? operation(client, report).withName(report.getMetadata().getName())
                    : operation(client, report).inNamespace(report.getMetadata().getNamespace()).withName(report.getMetadata().getName())).get();
            if (now == null) {
                report.getMetadata().setResourceVersion(null);
                operation(client, report).resource(report).create();
            } else {
                report.getMetadata().setResourceVersion(now.getMetadata().getResourceVersion());
                operation(client, report).resource(report).update();
            }
            return true;
        } catch (KubernetesClientException e) {
            errors.add(applyError("update", describe(report), e));
            return false;
        }
    }

    /** Same summary and results, whatever the timestamps: then the report is not rewritten. */
    private static boolean sameContent(GenericKubernetesResource current, GenericKubernetesResource desired) {
        return Objects.equals(normalised(current.getAdditionalProperties().get("summary")), normalised(desired.getAdditionalProperties().get("summary")))
                && Objects.equals(withoutTimestamps(current.getAdditionalProperties().get("results")),
                withoutTimestamps(desired.getAdditionalProperties().get("results")))
                && Objects.equals(annotation(current, PARTIAL_ANNOTATION), annotation(desired, PARTIAL_ANNOTATION));
    }

    private static String annotation(GenericKubernetesResource r, String name) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(name);
    }

    private static Object normalised(Object value) {
        return value == null ? null : SERIALIZATION.unmarshal(SERIALIZATION.asJson(value), Object.class);
    }

    @SuppressWarnings("unchecked")
    private static Object withoutTimestamps(Object results) {
        Object copy = normalised(results);
        if (copy instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    ((Map<String, Object>) m).remove("timestamp");
                }
            }
        }
        return copy;
    }

    private static String key(GenericKubernetesResource r) {
        return r.getKind() + "/" + (r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace()) + "/" + r.getMetadata().getName();
    }

    private static String describe(GenericKubernetesResource r) {
        return r.getKind() + " " + (r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace() + "/") + r.getMetadata().getName();
    }

    private static boolean stopsApplying(KubernetesClientException e) {
        return e.getCode() == 404 || e.getCode() == 401 || e.getCode() <= 0;
    }

    private static String applyError(String action, String what, KubernetesClientException e) {
        String detail = FaultClassifier.statusMessage(e);
        return switch (Math.max(0, e.getCode())) {
            case 404 -> "cannot " + action + " " + what + ": the cluster does not serve " + API_VERSION
                    + " PolicyReports (404); install the PolicyReport CRDs of the Kubernetes policy working group first";
            case 403 -> "not allowed to " + action + " " + what + " (403 Forbidden" + (detail.isEmpty() ? "" : ": " + detail)
                    + "); grant get, list, create, update and delete on policyreports and clusterpolicyreports, e.g. with "
                    + FaultClassifier.RBAC_HINT;
            case 401 -> "the API server refused the credentials when trying to " + action + " " + what + " (401 Unauthorized)";
            case 0 -> "cannot reach the API server to " + action + " " + what + " (" + FaultClassifier.rootMessage(e) + ")";
            default -> "cannot " + action + " " + what + " (HTTP " + e.getCode() + (detail.isEmpty() ? "" : ": " + detail) + ")";
        };
    }
}
