package io.kubeward.admission;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook over HTTPS (TLS 1.2 and 1.3 only):
 * <ul>
 *   <li>{@code POST /validate}, {@code POST /mutate}: an AdmissionReview in, the answer out (200);
 *       a body over the size limit, malformed JSON, a missing {@code request} or {@code uid}, or an
 *       object of the wrong shape: 400 with a plain-text message naming the problem;</li>
 *   <li>{@code GET /healthz}: 200 while the process serves; {@code GET /readyz}: 200 once the
 *       namespace lookup can answer, 503 before and while shutting down;</li>
 *   <li>{@code GET /metrics}: the Prometheus text format.</li>
 * </ul>
 * Connections are served by a few event loops (Netty's), each doing TLS, HTTP/1.1 and the review
 * itself for its connections: a request is answered on the thread that read it, with no hand-off
 * between threads. A review whose namespace's labels are not in memory ({@link
 * NamespaceLabels#inMemory}: a namespace not yet in the watch's cache) is decided on a thread of
 * its own instead, so that its lookup holds up no other connection; the connection's later
 * requests wait for it and are answered in order.
 *
 * <p>The certificate files are reloaded when they change (each new connection's handshake takes
 * the certificate in use then). Nothing a client sends stops the server: every failure is
 * answered on its own request or ends its own connection only. A request must arrive in full
 * within {@link Builder#requestTimeout(Duration) a time} of its first line (else 408), the TLS
 * handshake within 10 seconds, and a connection without traffic for {@link
 * Builder#idleTimeout(Duration) a while} is closed. {@link #stop(Duration)} finishes the requests
 * in flight before it returns.
 */
public final class AdmissionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);

    private static final int TLS_HANDSHAKE_SECONDS = 10;
    private static final int WAITING_THREADS = 16;

    private final AdmissionController controller;
    private final AdmissionMetrics metrics;
    private final int maxRequestBytes;
    private final Duration shutdownGrace;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    /** Decides the reviews that wait on I/O (a namespace not in memory), off the event loops. */
    private final ThreadPoolExecutor waiting;
    private final Channel listener;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final CertificateWatcher watcher;
    private final ReloadingKeyManager keyManager;
    private final SSLContext tls;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private volatile boolean stopped;

    private AdmissionServer(Builder b) throws IOException {
        this.controller = b.controller;
        this.metrics = controller.metrics();
        this.maxRequestBytes = b.maxRequestBytes > 0 ? b.maxRequestBytes : controller.config().maxRequestBytes();
        this.shutdownGrace = b.shutdownGrace;
        this.requestTimeout = b.requestTimeout;
        this.idleTimeout = b.idleTimeout;
        this.keyManager = new ReloadingKeyManager(PemCredentials.load(b.certFile, b.keyFile));
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {keyManager}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        this.acceptor = new MultiThreadIoEventLoopGroup(1, threads("kubeward-admission-acceptor"), NioIoHandler.newFactory());
        this.loops = new MultiThreadIoEventLoopGroup(b.threads, threads("kubeward-admission-"), NioIoHandler.newFactory());
        this.waiting = new ThreadPoolExecutor(WAITING_THREADS, WAITING_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("kubeward-admission-lookup-"));
        waiting.allowCoreThreadTimeOut(true);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accept(ch);
                    }
                });
        ChannelFuture bound = bootstrap.bind(b.address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            waiting.shutdownNow();
            shutdownLoops(Duration.ofSeconds(1));
            Throwable cause = bound.cause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot listen on " + b.address + ": " + cause, cause);
        }
        this.listener = bound.channel();
        metrics.inFlightFrom(inFlight::get);
        this.watcher = new CertificateWatcher(b.certFile, b.keyFile, keyManager, metrics, b.certificateCheckInterval);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            String name = prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix;
            Thread t = new FastThreadLocalThread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void accept(SocketChannel ch) {
        if (draining) {
            ch.close();
            return;
        }
        connections.add(ch);
        ch.closeFuture().addListener(f -> connections.remove(ch));
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = tls.getDefaultSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        engine.setSSLParameters(p);
        SslHandler ssl = new SslHandler(engine);
        ssl.setHandshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(TLS_HANDSHAKE_SECONDS));
        ch.pipeline()
                .addLast("tls", ssl)
                .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("http", new HttpServerCodec(8192, 16384, 65536))
                .addLast("webhook", new WebhookConnection(this));
    }

    /** Starts building a server for a controller (built once, shared by every request). */
    public static Builder builder(AdmissionController controller) {
        return new Builder(controller);
    }

    /** The address the server listens on (with the port it got, when asked for port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Requests being read, answered or written. */
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

    AdmissionController controller() {
        return controller;
    }

    AdmissionMetrics metrics() {
        return metrics;
    }

    int maxRequestBytes() {
        return maxRequestBytes;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    boolean draining() {
        return draining;
    }

    Executor waiting() {
        return waiting;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestEnded() {
        inFlight.decrementAndGet();
    }

    /**
     * Stops gracefully: {@code /readyz} turns 503, the listening socket closes, the requests in
     * flight are finished (waiting at most {@code grace}), then the connections close.
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
        listener.close().awaitUninterruptibly();
        boolean interrupted = false;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        int left = inFlight.get();
        for (Channel c : connections) {
            c.close();
        }
        for (Channel c : connections) {
            c.closeFuture().awaitUninterruptibly(1000);
        }
        watcher.close();
        waiting.shutdownNow();
        shutdownLoops(Duration.ofSeconds(2));
        if (left > 0) {
            LOG.warn("stopped with {} request(s) still in flight after the grace period of {}", left, grace);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownLoops(Duration wait) {
        acceptor.shutdownGracefully(0, wait.toMillis(), TimeUnit.MILLISECONDS);
        loops.shutdownGracefully(0, wait.toMillis(), TimeUnit.MILLISECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(wait.toMillis() + 1000);
        loops.terminationFuture().awaitUninterruptibly(wait.toMillis() + 1000);
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
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(120);
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

        /**
         * How long a request may take to arrive, from its first line to the end of its body
         * (30 s by default); a request still incomplete then gets 408 and its connection closes.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How long a connection may stay without traffic between requests (120 s by default):
         * longer than the API server's own idle timeout for keep-alive connections (90 s), so
         * that the client ends an idle connection and no request races the server's close.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }

        /**
         * Event loops serving the connections, each answering the requests of its own
         * connections (twice the processors, at least 4, by default).
         */
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
