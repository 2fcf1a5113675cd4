package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubeward.cluster.ResourceKind;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's CRUD mock API server (real HTTPS on localhost, in this JVM) answering lists in pages
 * ({@code limit} and {@code continue}) as the API server does, which its CRUD mode alone does not:
 * the first page takes a snapshot of the full list, and the continue token names that snapshot and
 * an offset into it. Objects are stored straight into the server's map, since a create through the
 * CRUD server scans every stored object and seeding 10,000 pods that way would take minutes.
 */
final class PagedApiServer implements AutoCloseable {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** The mock server logs every request at INFO through java.util.logging: time the benchmark would count. */
    private static final java.util.logging.Logger REQUEST_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        REQUEST_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final Map<String, ListSnapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicInteger listIds = new AtomicInteger();
    private final KubernetesMockServer server;

    PagedApiServer() {
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Map<String, String> q = query(request.getPath());
                if ("GET".equals(request.getMethod()) && q.containsKey("limit") && !"true".equals(q.get("watch"))) {
                    return page(request.getPath(), q);
                }
                return crud.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, true);
        server.init();
    }

    /** A new client of this server (the caller closes it). */
    KubernetesClient newClient() {
        return server.createClient();
    }

    /** Stores an object with the uid, resourceVersion and creationTimestamp a create would give it. */
    void store(HasMetadata o) {
        ResourceKind kind = ResourceKind.ofKind(o.getKind());
        if (kind == null) {
            throw new IllegalArgumentException("the audit reads no " + o.getKind());
        }
        ObjectMeta meta = o.getMetadata();
        if (meta.getUid() == null) {
            meta.setUid(UUID.nameUUIDFromBytes((o.getKind() + "/" + meta.getNamespace() + "/" + meta.getName())
                    .getBytes(StandardCharsets.UTF_8)).toString());
        }
        meta.setResourceVersion(String.valueOf(crud.requestResourceVersion()));
        meta.setCreationTimestamp("2026-11-20T10:00:00Z");
        String json = JSON.asJson(o);
        // the key a create gets: what the collection's path says (plural, version) and what the object says
        String path = (kind.group().isEmpty() ? "/api/v1" : "/apis/" + kind.group() + "/v1")
                + (kind.namespaced() ? "/namespaces/" + meta.getNamespace() : "") + "/" + kind.plural();
        crud.getMap().put(AttributeSet.merge(crud.getAttributeExtractor().fromPath(path),
                crud.getAttributeExtractor().fromResource(json)), json);
    }

    @Override
    public void close() {
        server.destroy();
    }

    @SuppressWarnings("unchecked")
    private MockResponse page(String path, Map<String, String> q) {
        int limit = Integer.parseInt(q.remove("limit"));
        String token = q.remove("continue");
        String listId;
        int offset;
        if (token == null) {
            StringBuilder rest = new StringBuilder(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
            String sep = "?";
            for (Map.Entry<String, String> e : q.entrySet()) {
                rest.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = "&";
            }
            MockResponse full = crud.handleGet(rest.toString());
            if (full.code() != 200) {
                return full;
            }
            Map<String, Object> list = JSON.unmarshal(new String(full.getBody().getBytes(), StandardCharsets.UTF_8), Map.class);
            List<Object> items = list.get("items") == null ? List.of() : (List<Object>) list.get("items");
            Map<String, Object> meta = (Map<String, Object>) list.getOrDefault("metadata", Map.of());
            listId = "list" + listIds.incrementAndGet();
            offset = 0;
            snapshots.put(listId, new ListSnapshot((String) list.get("kind"), (String) list.get("apiVersion"), items, meta));
        } else {
            int dash = token.lastIndexOf('-');
            listId = token.substring(0, dash);
            offset = Integer.parseInt(token.substring(dash + 1));
        }
        ListSnapshot snap = snapshots.get(listId);
        if (snap == null) {
            return new MockResponse().setResponseCode(410).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410}");
        }
        int end = Math.min(snap.items().size(), offset + limit);
        Map<String, Object> meta = new LinkedHashMap<>(snap.metadata());
        if (end < snap.items().size()) {
            meta.put("continue", listId + "-" + end);
            meta.put("remainingItemCount", snap.items().size() - end);
        } else {
            snapshots.remove(listId);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("kind", snap.kind());
        page.put("apiVersion", snap.apiVersion());
        page.put("metadata", meta);
        page.put("items", snap.items().subList(Math.min(offset, snap.items().size()), end));
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(JSON.asJson(page));
    }

    private record ListSnapshot(String kind, String apiVersion, List<Object> items, Map<String, Object> metadata) {
    }

    private static Map<String, String> query(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String kv : path.substring(q + 1).split("&")) {
            if (!kv.isEmpty()) {
                int eq = kv.indexOf('=');
                out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
