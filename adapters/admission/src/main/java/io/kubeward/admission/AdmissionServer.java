package io.kubeward.admission;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook over HTTPS (TLS 1.2 and 1.3 only), on the JDK's own HTTPS server:
 * <ul>
 *   <li>{@code POST /validate}, {@code POST /mutate}: an AdmissionReview in, the answer out (200);
 *       a body over the size limit, malformed JSON, a missing {@code request} or {@code uid}, or an
 *       object of the wrong shape: 400 with a plain-text message naming the problem;</li>
 *   <li>{@code GET /healthz}: 200 while the process serves; {@code GET /readyz}: 200 once the
 *       namespace lookup can answer, 503 before and while shutting down;</li>
 *   <li>{@code GET /metrics}: the Prometheus text format.</li>
 * </ul>
 * The certificate files are reloaded when they change. Nothing a client sends stops the server:
 * every failure is answered on its own request. {@link #stop(Duration)} finishes the requests in
 * flight before it returns.
 */
public final class AdmissionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);

    static {
        // the JDK server leaves Nagle's algorithm on by default: small answers then wait for the
        // client's delayed ACK (tens of milliseconds). Read once, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final AdmissionController controller;
    private final AdmissionMetrics metrics;
    private final int maxRequestBytes;
    private final Duration shutdownGrace;
    private final HttpsServer server;
    private final ThreadPoolExecutor workers;
    private final CertificateWatcher watcher;
    private final ReloadingKeyManager keyManager;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private volatile boolean stopped;

    private AdmissionServer(Builder b) throws IOException {
        this.controller = b.controller;
        this.metrics = controller.metrics();
        this.maxRequestBytes = b.maxRequestBytes > 0 ? b.maxRequestBytes : controller.config().maxRequestBytes();
        this.shutdownGrace = b.shutdownGrace;
        this.keyManager = new ReloadingKeyManager(PemCredentials.load(b.certFile, b.keyFile));
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {keyManager}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        this.server = HttpsServer.create(b.address, 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(b.threads, b.threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "kubeward-admission-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // counts from the moment a request is handed over, so a queued request is in flight too
        Executor counting = task -> {
            inFlight.incrementAndGet();
            try {
                workers.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                throw e;
            }
        };
        server.setExecutor(counting);
        server.createContext("/", this::handle);
        this.watcher = new CertificateWatcher(b.certFile, b.keyFile, keyManager, metrics, b.certificateCheckInterval);
        server.start();
    }

    /** Starts building a server for a controller (built once, shared by every request). */
    public static Builder builder(AdmissionController controller) {
        return new Builder(controller);
    }

    /** The address the server listens on (with the port it got, when asked for port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests being handled or waiting for a worker. */
    public int inFlight() {
        return inFlight.get();
    }

    public boolean isReady() {
        return !draining && controller.isReady();
    }

    /** The serving certificate in use now. */
    public java.security.cert.X509Certificate certificate() {
        return keyManager.current().certificate();
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        String webhook = switch (path) {
            case "/validate" -> AdmissionController.VALIDATE;
            case "/mutate" -> AdmissionController.MUTATE;
            default -> null;
        };
        try {
            if (webhook != null) {
                review(exchange, webhook);
            } else {
                switch (path) {
                    case "/healthz" -> text(exchange, 200, "ok\n");
                    case "/readyz" -> text(exchange, isReady() ? 200 : 503, isReady() ? "ok\n"
                            : draining ? "shutting down\n" : "namespace labels not loaded yet\n");
                    case "/metrics" -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.render().getBytes(StandardCharsets.UTF_8));
                    default -> text(exchange, 404, "not found: " + path + " (kubeward serves /validate, /mutate, /healthz, /readyz, /metrics)\n");
                }
            }
        } catch (IOException e) {
            LOG.debug("connection lost while answering {}: {}", path, e.toString());
        } catch (Throwable e) {
            LOG.error("unexpected failure answering {}", path, e);
            try {
                text(exchange, 500, "kubeward: internal error: " + e + "\n");
            } catch (IOException | RuntimeException ignored) {
                // the response may already be under way; the connection is closed below
            }
        } finally {
            if (webhook != null) {
                metrics.observeLatency(webhook, System.nanoTime() - started);
            }
            exchange.close();
        }
    }

    private void review(HttpExchange exchange, String webhook) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            text(exchange, 405, "kubeward: " + exchange.getRequestURI().getPath() + " takes POST with an AdmissionReview\n");
            return;
        }
        byte[] body;
        try {
            body = readBody(exchange);
        } catch (InvalidReviewException e) {
            metrics.request(webhook, null, null, AdmissionMetrics.Result.INVALID, false);
            // read what the client still sends (within reason): closing on unread data resets the
            // connection and the client would never see the 400
            if (!drain(exchange.getRequestBody(), 4L * maxRequestBytes + (1 << 20))) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            text(exchange, 400, "kubeward: " + e.getMessage() + "\n");
            return;
        }
        byte[] answer;
        try {
            answer = webhook.equals(AdmissionController.VALIDATE) ? controller.validate(body) : controller.mutate(body);
        } catch (InvalidReviewException e) {
            text(exchange, 400, "kubeward: " + e.getMessage() + "\n");
            return;
        }
        respond(exchange, 200, "application/json", answer);
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > maxRequestBytes) {
                    throw new InvalidReviewException("the request body (" + declared.strip() + " bytes) is over the limit of "
                            + maxRequestBytes + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new InvalidReviewException("Content-Length '" + declared + "' is not a number");
            }
        }
        InputStream in = exchange.getRequestBody();
        // a declared length only sizes the first buffer, within bounds: the bytes read are what count
        long hint = declared == null ? 8192 : Long.parseLong(declared.strip());
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(hint, Math.min(maxRequestBytes, 1 << 20))));
        byte[] buffer = new byte[16384];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > maxRequestBytes) {
                throw new InvalidReviewException("the request body is over the limit of " + maxRequestBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads and drops up to {@code max} bytes; true when the body ended. */
    private static boolean drain(InputStream in, long max) {
        byte[] buffer = new byte[16384];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > max) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    /**
     * Stops gracefully: {@code /readyz} turns 503, the listening socket closes, and the requests
     * in flight (those being handled and those waiting for a worker) are finished before the
     * connections close, waiting at most {@code grace}.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        // stop(delay) closes the listener at once, then waits for exchanges; a second stop(0) ends the wait
        Thread closer = new Thread(() -> server.stop((int) Math.max(1, Math.min(Integer.MAX_VALUE, grace.toSeconds() + 1))),
                "kubeward-admission-stop");
        closer.setDaemon(true);
        closer.start();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            server.stop(0);
            closer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
        }
        watcher.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        int left = inFlight.get();
        if (left > 0) {
            LOG.warn("stopped with {} request(s) still in flight after the grace period of {}", left, grace);
        }
    }

    /** Stops gracefully with the configured grace period. */
    @Override
    public void close() {
        stop(shutdownGrace);
    }

    /** The server's settings; {@link #start()} binds and serves. */
    public static final class Builder {
        private final AdmissionController controller;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8443);
        private Path certFile;
        private Path keyFile;
        private Duration certificateCheckInterval = Duration.ofSeconds(10);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private int maxRequestBytes;

        private Builder(AdmissionController controller) {
            this.controller = Objects.requireNonNull(controller, "controller");
        }

        /** Where to listen; loopback port 8443 by default. */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The PEM certificate (chain) and key files; both required. */
        public Builder tls(Path certFile, Path keyFile) {
            this.certFile = Objects.requireNonNull(certFile, "certFile");
            this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
            return this;
        }

        /** How often the certificate files are checked for changes (10 s by default). */
        public Builder certificateCheckInterval(Duration interval) {
            this.certificateCheckInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How long {@link AdmissionServer#close()} waits for requests in flight (10 s by default). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** Worker threads answering requests (twice the processors, at least 4, by default). */
        public Builder threads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = threads;
            return this;
        }

        /** The largest request body; the configuration's {@code maxRequestBytes} by default. */
        public Builder maxRequestBytes(int max) {
            this.maxRequestBytes = max;
            return this;
        }

        /**
         * Loads the certificate, binds and starts serving.
         *
         * @throws IllegalArgumentException when the certificate or key file is unusable (naming it)
         * @throws IOException              when the address cannot be bound
         */
        public AdmissionServer start() throws IOException {
            if (certFile == null) {
                throw new IllegalArgumentException("a TLS certificate and key are required: the webhook serves HTTPS only");
            }
            return new AdmissionServer(this);
        }
    }
}
