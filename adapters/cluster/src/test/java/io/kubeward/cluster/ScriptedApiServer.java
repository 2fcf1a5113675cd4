package io.kubeward.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * fabric8's CRUD mock API server (real HTTPS on localhost) with what its CRUD mode lacks: lists
 * answered in pages ({@code limit} and {@code continue}, as the API server does), a log of the
 * requests, and hooks that answer chosen requests differently (a 403, a 410, a stall).
 */
final class ScriptedApiServer implements AutoCloseable {

    /** Answers a request, or returns null to let the CRUD server answer it. */
    interface Hook extends Function<RecordedRequest, MockResponse> {
    }

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();
    private final Map<String, ListSnapshot> snapshots = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger listIds = new java.util.concurrent.atomic.AtomicInteger();
    private final KubernetesMockServer server;

    ScriptedApiServer() {
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request.getMethod() + " " + request.getPath());
                for (Hook h : hooks) {
                    MockResponse r = h.apply(request);
                    if (r != null) {
                        return r;
                    }
                }
                if ("GET".equals(request.getMethod()) && isPagedList(request.getPath())) {
                    return page(request.getPath());
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

    /** A connection to this server with these time limits (the caller closes it). */
    ClusterConnection connect(String name, ConnectionSettings settings) {
        try (KubernetesClient c = server.createClient()) {
            return ClusterConnection.open(c.getConfiguration(), name, settings);
        }
    }

    KubernetesMockServer server() {
        return server;
    }

    void hook(Hook hook) {
        hooks.add(hook);
    }

    void clearHooks() {
        hooks.clear();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    /** A JSON Status response as the API server sends it. */
    static MockResponse status(int code, String reason, String message) {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + JSON.asJson(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    @Override
    public void close() {
        server.destroy();
    }

    private static boolean isPagedList(String path) {
        Map<String, String> q = query(path);
        return q.containsKey("limit") && !"true".equals(q.get("watch"));
    }

    /**
     * A page of a list. The first page takes a snapshot of the CRUD server's full list; the
     * continue token names that snapshot and an offset into it, so the later pages are consistent
     * (as the API server's are) and the full list is built once, not once per page.
     */
    @SuppressWarnings("unchecked")
    private MockResponse page(String path) {
        Map<String, String> q = query(path);
        int limit = Integer.parseInt(q.get("limit"));
        String token = q.get("continue");
        q.remove("limit");
        q.remove("continue");
        String listId;
        int offset;
        List<Object> items;
        Map<String, Object> meta;
        if (token == null) {
            String base = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            StringBuilder rest = new StringBuilder();
            q.forEach((k, v) -> rest.append(rest.length() == 0 ? "?" : "&").append(k).append('=')
                    .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
            MockResponse full = crud.handleGet(base + rest);
            if (full.code() != 200) {
                return full;
            }
            Map<String, Object> list = JSON.unmarshal(new String(full.getBody().getBytes(), StandardCharsets.UTF_8), Map.class);
            items = list.get("items") == null ? List.of() : (List<Object>) list.get("items");
            meta = new LinkedHashMap<>((Map<String, Object>) list.getOrDefault("metadata", Map.of()));
            listId = "list" + listIds.incrementAndGet();
            offset = 0;
            snapshots.put(listId, new ListSnapshot((String) list.get("kind"), (String) list.get("apiVersion"), items, meta));
        } else {
            int dash = token.lastIndexOf('-');
            listId = token.substring(0, dash);
            offset = Integer.parseInt(token.substring(dash + 1));
            ListSnapshot snap = snapshots.get(listId);
            if (snap == null) {
                return status(410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
            }
            items = snap.items();
            meta = new LinkedHashMap<>(snap.metadata());
        }
        ListSnapshot snap = snapshots.get(listId);
        int end = Math.min(items.size(), offset + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("kind", snap.kind());
        page.put("apiVersion", snap.apiVersion());
        if (end < items.size()) {
            meta.put("continue", listId + "-" + end);
            meta.put("remainingItemCount", items.size() - end);
        } else {
            meta.remove("continue");
            snapshots.remove(listId);
        }
        page.put("metadata", meta);
        page.put("items", items.subList(Math.min(offset, items.size()), end));
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(JSON.asJson(page));
    }

    private record ListSnapshot(String kind, String apiVersion, List<Object> items, Map<String, Object> metadata) {
    }

    /**
     * Stores an object straight into the CRUD server's map, with the uid, resourceVersion and
     * creationTimestamp a create through the API would give it: seeding thousands of objects this
     * way takes seconds (a create through the CRUD server scans every stored object).
     */
    void store(io.fabric8.kubernetes.api.model.HasMetadata o) {
        ResourceKind kind = ResourceKind.ofKind(o.getKind());
        if (kind == null) {
            throw new IllegalArgumentException("cannot store a " + o.getKind());
        }
        io.fabric8.kubernetes.api.model.ObjectMeta meta = o.getMetadata();
        if (meta.getUid() == null) {
            meta.setUid(java.util.UUID.nameUUIDFromBytes((o.getKind() + "/" + meta.getNamespace() + "/" + meta.getName())
                    .getBytes(StandardCharsets.UTF_8)).toString());
        }
        meta.setResourceVersion(String.valueOf(crud.requestResourceVersion()));
        meta.setCreationTimestamp("2026-11-20T10:00:00Z");
        String json = JSON.asJson(o);
        // the key a create gets: what the collection's path says (plural, version) and what the object says
        String path = (kind.group().isEmpty() ? "/api/v1" : "/apis/" + kind.group() + "/v1")
                + (kind.namespaced() ? "/namespaces/" + meta.getNamespace() : "") + "/" + kind.plural();
        crud.getMap().put(io.fabric8.mockwebserver.crud.AttributeSet.merge(crud.getAttributeExtractor().fromPath(path),
                crud.getAttributeExtractor().fromResource(json)), json);
    }

    static Map<String, String> query(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String kv : path.substring(q + 1).split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
