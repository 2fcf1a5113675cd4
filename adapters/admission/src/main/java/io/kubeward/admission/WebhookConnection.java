package io.kubeward.admission;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS connection of the webhook: reads each HTTP/1.1 request (its body up to the size
 * limit), answers it on this connection's event loop, and keeps the connection for the next
 * one unless the client or an error says otherwise. Requests on one connection are answered in
 * the order they came.
 */
final class WebhookConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookConnection.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String METRICS = "text/plain; version=0.0.4; charset=utf-8";

    private enum State {
        /** Waiting for the next request. */
        IDLE,
        /** Reading the body of a review. */
        BODY,
        /** Reading and dropping a body; the answer is decided when it ends. */
        DISCARD,
        /** The connection is closing: nothing more is read. */
        CLOSING
    }

    private final AdmissionServer server;
    private State state = State.IDLE;
    private String path;
    private String webhook;
    private HttpMethod method;
    private HttpVersion version;
    private boolean keepAlive;
    private long started;
    private boolean counted;
    private byte[] body;
    private int length;
    private long discarded;
    private String refusal;
    private ScheduledFuture<?> deadline;
    /** True while a review of this connection is decided off the loop; what arrives meanwhile is held. */
    private boolean waiting;
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    WebhookConnection(AdmissionServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting) {
            // a review of this connection is being decided off the loop: what follows waits its turn
            held.add(msg);
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                begin(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                content(ctx, content);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("unexpected failure answering {}", path, e);
            if (state != State.CLOSING) {
                answer(ctx, 500, TEXT, text("internal error: " + e), true);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The review decided off the loop is answered: go on with what arrived meanwhile. */
    private void resume(ChannelHandlerContext ctx) {
        waiting = false;
        while (!waiting && !held.isEmpty()) {
            handle(ctx, held.poll());
        }
        if (!waiting) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
        if (state == State.CLOSING) {
            return;
        }
        started = System.nanoTime();
        counted = true;
        server.requestStarted();
        version = request.protocolVersion();
        method = request.method();
        keepAlive = HttpUtil.isKeepAlive(request);
        path = null;
        webhook = null;
        body = null;
        length = 0;
        discarded = 0;
        refusal = null;
        deadline = ctx.executor().schedule(() -> timedOut(ctx), server.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Throwable why = decoded.cause();
            int status = why instanceof TooLongHttpLineException ? 414 : why instanceof TooLongFrameException ? 431 : 400;
            answer(ctx, status, TEXT, text("malformed HTTP request: " + describe(why)), true);
            return;
        }
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            path = request.uri();
            answer(ctx, 400, TEXT, text("malformed request path '" + request.uri() + "': " + e.getMessage()), true);
            return;
        }
        webhook = switch (path) {
            case "/validate" -> AdmissionController.VALIDATE;
            case "/mutate" -> AdmissionController.MUTATE;
            default -> null;
        };
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.strip())) {
            answer(ctx, 417, TEXT, text("unsupported expectation '" + expect + "'"), true);
            return;
        }
        state = State.DISCARD;
        if (webhook == null || !HttpMethod.POST.equals(method)) {
            continueIfExpected(ctx, request);
            return;
        }
        int max = server.maxRequestBytes();
        long declared;
        try {
            declared = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            invalid("Content-Length '" + request.headers().get(HttpHeaderNames.CONTENT_LENGTH) + "' is not a number");
            answer(ctx, 400, TEXT, text(refusal), true);
            return;
        }
        if (declared > max) {
            invalid("the request body (" + declared + " bytes) is over the limit of " + max + " bytes");
            if (declared > discardLimit()) {
                answer(ctx, 400, TEXT, text(refusal), true);
            } else if (HttpUtil.is100ContinueExpected(request)) {
                // the client waits for a go-ahead: refuse before it sends the body
                answer(ctx, 400, TEXT, text(refusal), true);
            }
            return;
        }
        state = State.BODY;
        body = new byte[(int) Math.max(0, Math.min(declared < 0 ? 8192 : declared, Math.min(max, 1 << 20)))];
        continueIfExpected(ctx, request);
    }

    private void continueIfExpected(ChannelHandlerContext ctx, HttpRequest request) {
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    private long discardLimit() {
        return 4L * server.maxRequestBytes() + (1 << 20);
    }

    private void invalid(String why) {
        refusal = why;
        server.metrics().request(webhook, null, null, AdmissionMetrics.Result.INVALID, false);
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
        if (state == State.CLOSING || state == State.IDLE) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            answer(ctx, 400, TEXT, text("malformed HTTP request body: " + describe(content.decoderResult().cause())), true);
            return;
        }
        ByteBuf bytes = content.content();
        int n = bytes.readableBytes();
        if (state == State.BODY) {
            int max = server.maxRequestBytes();
            if ((long) length + n > max) {
                invalid("the request body is over the limit of " + max + " bytes");
                state = State.DISCARD;
                discarded = (long) length + n;
                body = null;
            } else {
                if (length + n > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(max, Math.max((long) body.length * 2, length + n)));
                }
                bytes.readBytes(body, length, n);
                length += n;
            }
        } else {
            discarded += n;
            if (discarded > discardLimit()) {
                // stop reading what the client still sends (within reason, it was read and dropped so
                // that the client sees the answer rather than a reset connection)
                answer(ctx, 400, TEXT, text(refusal != null ? refusal : "the request body is too large"), true);
                return;
            }
        }
        if (content instanceof LastHttpContent) {
            complete(ctx);
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        if (deadline != null) {
            // it arrived in full: the time it takes to decide is not the client's
            deadline.cancel(false);
            deadline = null;
        }
        if (refusal != null) {
            answer(ctx, 400, TEXT, text(refusal), false);
            return;
        }
        if (webhook != null) {
            if (!HttpMethod.POST.equals(method)) {
                FullHttpResponse r = response(405, TEXT, text(path + " takes POST with an AdmissionReview"));
                r.headers().set(HttpHeaderNames.ALLOW, "POST");
                send(ctx, r, false);
                return;
            }
            review(ctx);
            return;
        }
        switch (path) {
            case "/healthz" -> answer(ctx, 200, TEXT, bytes("ok\n"), false);
            case "/readyz" -> {
                boolean ready = server.isReady();
                answer(ctx, ready ? 200 : 503, TEXT, bytes(ready ? "ok\n"
                        : server.draining() ? "shutting down\n" : "namespace labels not loaded yet\n"), false);
            }
            case "/metrics" -> answer(ctx, 200, METRICS, bytes(server.metrics().render()), false);
            default -> answer(ctx, 404, TEXT, bytes("not found: " + path
                    + " (kubeward serves /validate, /mutate, /healthz, /readyz, /metrics)\n"), false);
        }
    }

    private void review(ChannelHandlerContext ctx) {
        byte[] review = length == body.length ? body : Arrays.copyOf(body, length);
        body = null;
        AdmissionController controller = server.controller();
        String hook = webhook;
        ReviewRequest request;
        try {
            request = controller.readReview(review, hook);
        } catch (InvalidReviewException e) {
            answer(ctx, 400, TEXT, text(e.getMessage()), false);
            return;
        }
        if (controller.answersFromMemory(request)) {
            decide(ctx, () -> controller.answer(request, hook, review));
            return;
        }
        // the namespace's labels must be read: on a thread of its own, this connection paused meanwhile
        waiting = true;
        server.metrics().reviewWaited();
        ctx.channel().config().setAutoRead(false);
        server.waiting().execute(() -> {
            Decided d = Decided.of(() -> controller.answer(request, hook, review));
            ctx.executor().execute(() -> {
                d.send(this, ctx);
                resume(ctx);
            });
        });
    }

    private void decide(ChannelHandlerContext ctx, java.util.function.Supplier<byte[]> answer) {
        Decided.of(answer).send(this, ctx);
    }

    /** A review's outcome: the answer, a 400 for a review that cannot be answered, or a failure of kubeward's own. */
    private record Decided(byte[] answer, String invalid, Throwable failure) {

        static Decided of(java.util.function.Supplier<byte[]> answer) {
            try {
                return new Decided(answer.get(), null, null);
            } catch (InvalidReviewException e) {
                return new Decided(null, e.getMessage(), null);
            } catch (RuntimeException | Error e) {
                return new Decided(null, null, e);
            }
        }

        void send(WebhookConnection c, ChannelHandlerContext ctx) {
            if (c.state == State.CLOSING) {
                return; // the client went away meanwhile
            }
            if (answer != null) {
                c.answer(ctx, 200, JSON, answer, false);
            } else if (invalid != null) {
                c.answer(ctx, 400, TEXT, text(invalid), false);
            } else {
                LOG.error("unexpected failure answering {}", c.path, failure);
                c.answer(ctx, 500, TEXT, text("internal error: " + failure), true);
            }
        }
    }

    private void answer(ChannelHandlerContext ctx, int status, String contentType, byte[] content, boolean close) {
        send(ctx, response(status, contentType, content), close);
    }

    private FullHttpResponse response(int status, String contentType, byte[] content) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                HttpMethod.HEAD.equals(method) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
        return r;
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        // while shutting down, each answer asks the client to reconnect (to another replica)
        boolean closing = close || !keepAlive || server.draining();
        if (closing) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version != null && !version.isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        state = closing ? State.CLOSING : State.IDLE;
        String observed = webhook;
        long since = started;
        boolean count = counted;
        counted = false;
        ctx.writeAndFlush(response).addListener(f -> {
            if (observed != null) {
                server.metrics().observeLatency(observed, System.nanoTime() - since);
            }
            if (count) {
                server.requestEnded();
            }
            if (closing || !f.isSuccess()) {
                ctx.close();
            }
        });
    }

    private void timedOut(ChannelHandlerContext ctx) {
        deadline = null;
        if (state == State.BODY || state == State.DISCARD) {
            answer(ctx, 408, TEXT, text("the request did not arrive in full within " + server.requestTimeout().toMillis() + " ms"), true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && state == State.IDLE) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // a client that sends requests without reading the answers is not read from until it does
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !waiting);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (counted) {
            counted = false;
            server.requestEnded();
        }
        state = State.CLOSING;
        body = null;
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IOException || root instanceof SSLException || root instanceof NotSslRecordException) {
            // the client went away, or spoke something other than TLS: its own connection ends
            LOG.debug("connection from {} ended: {}", ctx.channel().remoteAddress(), root.toString());
        } else {
            LOG.warn("connection from {} ended by an unexpected failure", ctx.channel().remoteAddress(), cause);
        }
        state = State.CLOSING;
        ctx.close();
    }

    private static String describe(Throwable why) {
        return why == null ? "unreadable" : why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName();
    }

    private static byte[] text(String message) {
        return bytes("kubeward: " + message + "\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
