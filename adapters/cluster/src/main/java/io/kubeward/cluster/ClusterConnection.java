package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A client for one cluster and the name it is known by (its kubeconfig context, "in-cluster", or
 * the API server's host). Findings on its objects carry the source {@code cluster:<name>}.
 * Closing it closes the client when this connection opened it.
 */
public final class ClusterConnection implements AutoCloseable {

    private final KubernetesClient client;
    private final String name;
    private final boolean owned;

    private ClusterConnection(KubernetesClient client, String name, boolean owned) {
        this.client = Objects.requireNonNull(client, "client");
        this.name = name == null || name.isBlank() ? "cluster" : name;
        this.owned = owned;
    }

    /**
     * Connects as kubectl would: the given kubeconfig (or {@code $KUBECONFIG}, {@code ~/.kube/config},
     * then the pod's service account when running in a cluster) and context. Nothing is sent to
     * the API server yet.
     *
     * @throws ClusterAccessException when the kubeconfig is missing or unreadable or has no such context
     */
    public static ClusterConnection open(ConnectionSettings settings) {
        Config config = load(settings);
        return new ClusterConnection(build(config, settings), nameOf(config), true);
    }

    /** A connection over a {@link Config} the caller already holds, with these settings' time limits. */
    public static ClusterConnection open(Config base, String name, ConnectionSettings settings) {
        return new ClusterConnection(build(base, settings), name == null ? nameOf(base) : name, true);
    }

    /** Wraps a client the caller owns and closes. */
    public static ClusterConnection of(KubernetesClient client, String name) {
        return new ClusterConnection(client, name, false);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The context name (or "in-cluster", or the API server host). */
    public String name() {
        return name;
    }

    /** The file label findings carry: {@code cluster:<name>}. */
    public String sourceLabel() {
        return "cluster:" + name;
    }

    /** The API server's address, for messages. */
    public String serverUrl() {
        String url = client.getConfiguration().getMasterUrl();
        return url == null ? "(unknown API server)" : url.replaceAll("/+$", "");
    }

    @Override
    public void close() {
        if (owned) {
            client.close();
        }
    }

    private static Config load(ConnectionSettings settings) {
        Config config;
        if (settings.kubeconfig() != null) {
            Path file = settings.kubeconfig();
            if (!Files.isRegularFile(file)) {
                throw new ClusterAccessException("kubeconfig " + file + " does not exist or is not a file");
            }
            if (!Files.isReadable(file)) {
                throw new ClusterAccessException("kubeconfig " + file + " is not readable");
            }
            try {
                config = Config.fromKubeconfig(settings.context(), file.toFile());
            } catch (KubernetesClientException | IllegalArgumentException e) {
                throw new ClusterAccessException("cannot use kubeconfig " + file + ": " + e.getMessage(), e);
            }
        } else {
            try {
                config = Config.autoConfigure(settings.context());
            } catch (KubernetesClientException | IllegalArgumentException e) {
                throw new ClusterAccessException("cannot load the kubeconfig: " + e.getMessage(), e);
            }
        }
        if (settings.context() != null) {
            NamedContext current = config.getCurrentContext();
            if (current == null || !settings.context().equals(current.getName())) {
                List<NamedContext> contexts = config.getContexts() == null ? List.of() : config.getContexts();
                String known = contexts.isEmpty() ? "none" : contexts.stream().map(NamedContext::getName).collect(Collectors.joining(", "));
                throw new ClusterAccessException("context '" + settings.context() + "' is not in "
                        + (settings.kubeconfig() == null ? "the kubeconfig" : "kubeconfig " + settings.kubeconfig())
                        + " (contexts: " + known + ")");
            }
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new ClusterAccessException("no API server address: pass --kubeconfig (or set $KUBECONFIG), or run inside a cluster");
        }
        return config;
    }

    private static KubernetesClient build(Config base, ConnectionSettings settings) {
        Config config = new ConfigBuilder(base)
                .withConnectionTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .withRequestTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis()))
                .withRequestRetryBackoffLimit(settings.retries())
                .withRequestRetryBackoffInterval(250)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String nameOf(Config config) {
        if (config.getCurrentContext() != null && config.getCurrentContext().getName() != null) {
            return config.getCurrentContext().getName();
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            return "in-cluster";
        }
        try {
            String host = URI.create(config.getMasterUrl()).getHost();
            return host == null ? "cluster" : host;
        } catch (IllegalArgumentException | NullPointerException e) {
            return "cluster";
        }
    }
}
