package io.kubeward.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a folder of manifests like a large configuration repository's: one folder per team, one
 * file per application, made from a seed. Most files hold a Deployment, half of them with its
 * Service as a second document; the rest StatefulSets, DaemonSets, bare Pods, Jobs, CronJobs,
 * Services and ConfigMaps. Pod specs vary in containers (one to three, sometimes an init
 * container), env, resources, probes and volumes, and in security: about half hardened, a third
 * with the defaults, the rest with a risky setting (privileged, host namespaces, a hostPath, a
 * hostPort, added capabilities, root).
 */
final class ManifestCorpus {

    private static final String[] IMAGES = {"nginx:1.27", "registry.example.com/shop/api:2.4.1", "redis:7.2", "postgres:16",
        "registry.example.com/shop/worker:1.9.0", "ghcr.io/example/exporter:0.12", "busybox:1.36", "envoyproxy/envoy:v1.31"};

    private ManifestCorpus() {
    }

    /** Writes {@code files} manifest files under {@code dir}; returns the number of documents written. */
    static int write(Path dir, int files, long seed) throws IOException {
        Random random = new Random(seed);
        int documents = 0;
        for (int i = 0; i < files; i++) {
            Path folder = dir.resolve("team-" + (i % 100));
            Files.createDirectories(folder);
            StringBuilder y = new StringBuilder();
            String app = "app-" + i;
            String ns = "team-" + (i % 100);
            int kind = random.nextInt(100);
            if (kind < 45) {
                workload(y, "apps/v1", "Deployment", app, ns, random);
                documents++;
                if (random.nextBoolean()) {
                    y.append("---\n");
                    service(y, app, ns, random);
                    documents++;
                }
            } else if (kind < 60) {
                workload(y, "apps/v1", "StatefulSet", app, ns, random);
                documents++;
            } else if (kind < 70) {
                workload(y, "apps/v1", "DaemonSet", app, ns, random);
                documents++;
            } else if (kind < 80) {
                y.append("apiVersion: v1\nkind: Pod\n");
                metadata(y, app, ns, "");
                y.append("spec:\n");
                podSpec(y, "  ", app, random);
                documents++;
            } else if (kind < 85) {
                workload(y, "batch/v1", random.nextBoolean() ? "Job" : "CronJob", app, ns, random);
                documents++;
            } else if (kind < 95) {
                service(y, app, ns, random);
                documents++;
            } else {
                y.append("apiVersion: v1\nkind: ConfigMap\n");
                metadata(y, app + "-config", ns, "");
                y.append("data:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: \"checkout,search\"\n  app.properties: |\n    server.port=8080\n"
                        + "    cache.ttl=300\n");
                documents++;
            }
            Files.writeString(folder.resolve(app + ".yaml"), y, StandardCharsets.UTF_8);
        }
        return documents;
    }

    private static void metadata(StringBuilder y, String name, String ns, String indent) {
        y.append(indent).append("metadata:\n")
                .append(indent).append("  name: ").append(name).append('\n')
                .append(indent).append("  namespace: ").append(ns).append('\n')
                .append(indent).append("  labels:\n")
                .append(indent).append("    app.kubernetes.io/name: ").append(name).append('\n')
                .append(indent).append("    app.kubernetes.io/part-of: shop\n")
                .append(indent).append("    team: ").append(ns).append('\n');
    }

    private static void workload(StringBuilder y, String apiVersion, String kind, String app, String ns, Random random) {
        y.append("apiVersion: ").append(apiVersion).append("\nkind: ").append(kind).append('\n');
        metadata(y, app, ns, "");
        y.append("spec:\n");
        String indent = "  ";
        switch (kind) {
            case "Job" -> y.append("  backoffLimit: 3\n");
            case "CronJob" -> {
                y.append("  schedule: \"*/15 * * * *\"\n  jobTemplate:\n    spec:\n");
                indent = "      ";
            }
            default -> {
                if (!kind.equals("DaemonSet")) {
                    y.append("  replicas: ").append(1 + random.nextInt(5)).append('\n');
                }
                if (kind.equals("StatefulSet")) {
                    y.append("  serviceName: ").append(app).append('\n');
                }
                y.append("  selector:\n    matchLabels:\n      app.kubernetes.io/name: ").append(app).append('\n');
            }
        }
        y.append(indent).append("template:\n");
        y.append(indent).append("  metadata:\n").append(indent).append("    labels:\n")
                .append(indent).append("      app.kubernetes.io/name: ").append(app).append('\n')
                .append(indent).append("    annotations:\n").append(indent).append("      prometheus.io/scrape: \"true\"\n");
        y.append(indent).append("  spec:\n");
        podSpec(y, indent + "    ", app, random);
        if (kind.equals("Job") || kind.equals("CronJob")) {
            y.append(indent).append("    restartPolicy: OnFailure\n");
        }
    }

    private static void podSpec(StringBuilder y, String in, String app, Random random) {
        int security = random.nextInt(100); // < 50 hardened, < 83 defaults, else one risky setting
        String risk = security >= 83 ? new String[] {"privileged", "hostNetwork", "hostPath", "hostPort", "capabilities", "root", "hostPID"}
                [random.nextInt(7)] : "";
        y.append(in).append("serviceAccountName: ").append(app).append('\n');
        if (security < 50) {
            y.append(in).append("securityContext:\n").append(in).append("  runAsNonRoot: true\n")
                    .append(in).append("  runAsUser: ").append(10000 + random.nextInt(1000)).append('\n')
                    .append(in).append("  seccompProfile:\n").append(in).append("    type: RuntimeDefault\n");
        }
        if (risk.equals("hostNetwork") || risk.equals("hostPID")) {
            y.append(in).append(risk).append(": true\n");
        }
        if (random.nextInt(4) == 0) {
            y.append(in).append("initContainers:\n");
            container(y, in, "init", IMAGES[6], false, security < 50, "", random);
        }
        y.append(in).append("containers:\n");
        int containers = 1 + random.nextInt(3);
        for (int c = 0; c < containers; c++) {
            container(y, in, c == 0 ? "main" : "sidecar-" + c, IMAGES[random.nextInt(IMAGES.length)], true, security < 50,
                    c == 0 ? risk : "", random);
        }
        y.append(in).append("volumes:\n")
                .append(in).append("- name: config\n").append(in).append("  configMap:\n").append(in).append("    name: ").append(app).append("-config\n")
                .append(in).append("- name: tmp\n").append(in).append("  emptyDir: {}\n");
        if (risk.equals("hostPath")) {
            y.append(in).append("- name: docker\n").append(in).append("  hostPath:\n").append(in).append("    path: /var/run/docker.sock\n");
        }
    }

    private static void container(StringBuilder y, String in, String name, String image, boolean serving, boolean hardened, String risk,
            Random random) {
        y.append(in).append("- name: ").append(name).append('\n').append(in).append("  image: ").append(image).append('\n');
        y.append(in).append("  env:\n");
        for (int e = 0; e < 2 + random.nextInt(5); e++) {
            y.append(in).append("  - name: SETTING_").append(e).append('\n').append(in).append("    value: \"value-").append(e).append("\"\n");
        }
        if (serving) {
            int port = 8080 + random.nextInt(4);
            y.append(in).append("  ports:\n").append(in).append("  - name: http\n").append(in).append("    containerPort: ").append(port).append('\n');
            if (risk.equals("hostPort")) {
                y.append(in).append("    hostPort: ").append(port).append('\n');
            }
            y.append(in).append("  readinessProbe:\n").append(in).append("    httpGet:\n").append(in).append("      path: /ready\n")
                    .append(in).append("      port: http\n").append(in).append("  livenessProbe:\n").append(in).append("    tcpSocket:\n")
                    .append(in).append("      port: http\n");
        }
        if (random.nextInt(5) > 0) {
            y.append(in).append("  resources:\n").append(in).append("    requests:\n").append(in).append("      cpu: ").append(50 * (1 + random.nextInt(8)))
                    .append("m\n").append(in).append("      memory: ").append(64 * (1 + random.nextInt(8))).append("Mi\n")
                    .append(in).append("    limits:\n").append(in).append("      memory: ").append(128 * (1 + random.nextInt(8))).append("Mi\n");
        }
        y.append(in).append("  volumeMounts:\n").append(in).append("  - name: config\n").append(in).append("    mountPath: /etc/app\n")
                .append(in).append("    readOnly: true\n").append(in).append("  - name: tmp\n").append(in).append("    mountPath: /tmp\n");
        if (risk.equals("hostPath")) {
            y.append(in).append("  - name: docker\n").append(in).append("    mountPath: /var/run/docker.sock\n");
        }
        if (hardened || !risk.isEmpty() && !risk.equals("hostNetwork") && !risk.equals("hostPID") && !risk.equals("hostPath")
                && !risk.equals("hostPort")) {
            y.append(in).append("  securityContext:\n");
            if (hardened) {
                y.append(in).append("    allowPrivilegeEscalation: false\n").append(in).append("    readOnlyRootFilesystem: true\n");
            }
            switch (risk) {
                case "privileged" -> y.append(in).append("    privileged: true\n");
                case "root" -> y.append(in).append("    runAsUser: 0\n");
                case "capabilities" -> y.append(in).append("    capabilities:\n").append(in).append("      add:\n")
                        .append(in).append("      - NET_ADMIN\n").append(in).append("      - SYS_TIME\n");
                default -> {
                    if (hardened) {
                        y.append(in).append("    capabilities:\n").append(in).append("      drop:\n").append(in).append("      - ALL\n");
                    }
                }
            }
        }
    }

    private static void service(StringBuilder y, String app, String ns, Random random) {
        y.append("apiVersion: v1\nkind: Service\n");
        metadata(y, app, ns, "");
        y.append("spec:\n");
        if (random.nextInt(10) == 0) {
            y.append("  type: NodePort\n");
        }
        y.append("  selector:\n    app.kubernetes.io/name: ").append(app).append('\n')
                .append("  ports:\n  - name: http\n    port: 80\n    targetPort: http\n");
    }
}
