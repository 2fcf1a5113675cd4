package io.kubeward.admission.benchmark;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Drives an HTTPS endpoint with a fixed number of clients, each on its own keep-alive connection
 * (HTTP/1.1, one request at a time, TLS handshake once per connection), like {@code wrk}: a
 * blocking socket per client and a request written in one piece, so that the load generator
 * itself costs little of the machine it shares with the server.
 *
 * <p>Two ways to send: a <b>closed loop</b> (each client sends its next request as soon as the
 * answer is in: the throughput the server can reach) or a <b>fixed rate</b> (the clients share a
 * schedule of requests per second, as an API server sends them; a request's latency counts from
 * the moment it was due, so a server that falls behind shows it rather than slowing the
 * schedule down). Only requests due after the warm-up count. An answer counts as an error
 * unless it is a 200 whose body equals the expected answer (when one is given).
 */
public final class LoadGenerator {

    /**
     * What one run measured, over the measured window only.
     *
     * @param warmupSeconds   how long it warmed up: at least as asked, and until the compiler was quiet
     * @param requests        requests due in the window that got a good answer (their latencies are measured)
     * @param completed       answers (good or not) received in the window
     * @param connections     connections opened, warm-up included: one per client while keep-alive holds
     * @param clientCpuNanos  CPU time of the client threads
     * @param processCpuNanos CPU time of this whole process (with the server, when it runs here)
     * @param cpuByThreads    CPU time of this process's Java threads by name, numbers left out
     *                        ({@code kubeward-admission-}, {@code kubeward-admission-acceptor}); the rest of
     *                        {@code processCpuNanos} is the JVM's own (garbage collector, compilers)
     * @param firstError      what the first failed request got, or null
     */
    public record Result(int clients, double rate, double warmupSeconds, double seconds, long requests, long completed, long errors,
            long connections, long[] sortedLatencyNanos, long clientCpuNanos, long processCpuNanos, Map<String, Long> cpuByThreads,
            String firstError) {

        /** Answers received per second over the window (at a fixed rate, less than the rate when the server falls behind). */
        public double throughput() {
            return completed / seconds;
        }

        /** A latency quantile in milliseconds. */
        public double millis(double quantile) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sortedLatencyNanos.length - 1, Math.ceil(quantile * sortedLatencyNanos.length) - 1);
            return sortedLatencyNanos[Math.max(0, i)] / 1e6;
        }

        public double maxMillis() {
            return sortedLatencyNanos.length == 0 ? Double.NaN : sortedLatencyNanos[sortedLatencyNanos.length - 1] / 1e6;
        }
    }

    private static final String CLIENT_THREADS = "load-client-";

    private final SSLContext tls;
    private final URI uri;
    private final byte[] request;
    private final byte[] expected;

    /**
     * @param expected the answer body every request must get, or null to accept any 200
     */
    public LoadGenerator(SSLContext tls, URI uri, byte[] body, byte[] expected) {
        this.tls = tls;
        this.uri = uri;
        this.expected = expected;
        String head = "POST " + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + port(uri) + "\r\n"
                + "Content-Type: application/json\r\nAccept: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        this.request = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, request, h.length, body.length);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 443;
    }

    /**
     * Runs the clients for the warm-up, then measures.
     *
     * @param rate requests per second over all clients; 0 for a closed loop
     */
    public Result run(int clients, double rate, Duration warmup, Duration measure) throws InterruptedException {
        return run(clients, rate, warmup, measure, false);
    }

    /**
     * Runs the clients for the warm-up, then measures.
     *
     * @param rate               requests per second over all clients; 0 for a closed loop
     * @param untilCompilerQuiet whether the warm-up also lasts until this JVM's compiler has
     *                           been idle for two seconds (at most two minutes more): with the
     *                           server in this JVM, a warm-up of a fixed length can end while the
     *                           compiler still takes a core and the server still runs slower code
     */
    public Result run(int clients, double rate, Duration warmup, Duration measure, boolean untilCompilerQuiet)
            throws InterruptedException {
        long start = System.nanoTime() + 50_000_000L; // every client connected and ready
        Window window = new Window();
        List<Client> all = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        // the clients stay alive until their CPU time has been read at the end of the window
        CountDownLatch counted = new CountDownLatch(1);
        for (int c = 0; c < clients; c++) {
            // a fixed rate: each client takes every clients-th slot of the common schedule
            long interval = rate > 0 ? (long) (1e9 * clients / rate) : 0;
            long first = rate > 0 ? start + (long) (1e9 * c / rate) : start;
            Client client = new Client(first, interval, window, done, counted);
            all.add(client);
            Thread t = new Thread(client, CLIENT_THREADS + c);
            t.setDaemon(true);
            t.start();
        }
        // the CPU time of this whole process over the measured window (clients, and a server
        // running in the same process)
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        sleepUntil(start + warmup.toNanos());
        long measureFrom = untilCompilerQuiet ? compilerQuiet() + 1_000_000L : start + warmup.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        window.set(measureFrom, measureTo);
        sleepUntil(measureFrom);
        long processCpu = os.getProcessCpuTime();
        Map<String, Long> threadsCpu = cpuByThreads(-1);
        sleepUntil(measureTo);
        processCpu = os.getProcessCpuTime() - processCpu;
        Map<String, Long> after = cpuByThreads(1);
        counted.countDown();
        threadsCpu.forEach((name, cpu) -> after.merge(name, cpu, Long::sum));
        done.await();
        long requests = 0;
        long completed = 0;
        long errors = 0;
        long connections = 0;
        String firstError = null;
        for (Client c : all) {
            requests += c.count;
            completed += c.completed;
            errors += c.errors;
            connections += c.connections;
            if (firstError == null) {
                firstError = c.firstError;
            }
        }
        long[] latencies = new long[(int) requests];
        int at = 0;
        for (Client c : all) {
            System.arraycopy(c.latencies, 0, latencies, at, c.count);
            at += c.count;
        }
        Arrays.sort(latencies);
        return new Result(clients, rate, (measureFrom - start) / 1e9, (measureTo - measureFrom) / 1e9, requests, completed, errors,
                connections, latencies, after.getOrDefault(CLIENT_THREADS, 0L), processCpu, after, firstError);
    }

    /** The measured window, set once the warm-up is over; until then nothing is measured. */
    private static final class Window {
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MAX_VALUE;

        void set(long from, long to) {
            this.to = to;
            this.from = from;
        }
    }

    /** Waits until this JVM's compiler has been idle for two seconds, or two minutes have passed. */
    private static long compilerQuiet() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return System.nanoTime();
        }
        long giveUp = System.nanoTime() + 120_000_000_000L;
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < giveUp) {
            Thread.sleep(250);
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= 2_000_000_000L) {
                break;
            }
        }
        return System.nanoTime();
    }

    /** The CPU time of each group of live threads (names without their numbers), times a sign. */
    private static Map<String, Long> cpuByThreads(int sign) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long cpu = mx.getThreadCpuTime(t.getThreadId());
                if (cpu > 0) {
                    out.merge(t.getThreadName().replaceAll("[0-9]+$", ""), sign * cpu, Long::sum);
                }
            }
        }
        return out;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private final class Client implements Runnable {
        private final long first;
        private final long interval;
        private final Window window;
        private final CountDownLatch done;
        private final CountDownLatch counted;
        long[] latencies = new long[1 << 14];
        int count;
        long completed;
        long errors;
        long connections;
        String firstError;
        private SSLSocket socket;
        private OutputStream out;
        private InputStream in;
        private byte[] answer = new byte[16384];

        Client(long first, long interval, Window window, CountDownLatch done, CountDownLatch counted) {
            this.window = window;
            this.counted = counted;
            this.first = first;
            this.interval = interval;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                long due = first;
                while (true) {
                    long now = System.nanoTime();
                    if (interval > 0 && due > now) {
                        LockSupport.parkNanos(due - now);
                        continue;
                    }
                    long sent = interval > 0 ? due : now;
                    long measureFrom = window.from;
                    long measureTo = window.to;
                    if (sent >= measureTo) {
                        break;
                    }
                    boolean measured = sent >= measureFrom;
                    String error = exchange();
                    long end = System.nanoTime();
                    long took = end - sent;
                    if (end >= measureFrom && end < measureTo) {
                        completed++;
                    }
                    if (measured) {
                        if (error != null) {
                            errors++;
                            if (firstError == null) {
                                firstError = error;
                            }
                        } else {
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = took;
                        }
                    }
                    due += interval;
                }
            } finally {
                close();
                done.countDown();
                try {
                    counted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** One request and its answer; null when it succeeded, else what went wrong. */
        private String exchange() {
            try {
                if (socket == null) {
                    connect();
                }
                out.write(request);
                out.flush();
                return readAnswer();
            } catch (IOException | RuntimeException e) {
                close();
                return e.toString();
            }
        }

        private void connect() throws IOException {
            connections++;
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(uri.getHost(), port(uri)), 10_000);
            s.setSoTimeout(30_000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            socket = s;
            out = s.getOutputStream();
            in = new BufferedInputStream(s.getInputStream(), 16384);
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }

        /** Reads a status line, headers and a Content-Length body; null when it is the expected answer. */
        private String readAnswer() throws IOException {
            String status = line();
            int length = -1;
            boolean closes = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    closes = true;
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    throw new IOException("the load generator reads Content-Length answers only, got Transfer-Encoding: " + value);
                }
            }
            if (length < 0) {
                throw new IOException("answer without Content-Length: " + status);
            }
            if (answer.length < length) {
                answer = new byte[length];
            }
            int read = 0;
            while (read < length) {
                int n = in.read(answer, read, length - read);
                if (n < 0) {
                    throw new EOFException("answer ended after " + read + " of " + length + " bytes");
                }
                read += n;
            }
            if (closes) {
                close();
            }
            if (!status.startsWith("HTTP/1.1 200")) {
                return status + ": " + new String(answer, 0, Math.min(length, 300), StandardCharsets.UTF_8);
            }
            if (expected != null && !Arrays.equals(answer, 0, length, expected, 0, expected.length)) {
                return "unexpected answer: " + new String(answer, 0, Math.min(length, 300), StandardCharsets.UTF_8);
            }
            return null;
        }

        private final StringBuilder text = new StringBuilder(128);

        private String line() throws IOException {
            text.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (b != '\r') {
                    text.append((char) b);
                }
            }
            return text.toString();
        }
    }
}
