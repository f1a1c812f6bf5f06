package io.anytext2.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service: the JDK's built-in server in front of one engine (a loaded pipeline) and a bounded
 * job queue. It listens at once and loads the model in the background; until the model is loaded,
 * and again while shutting down, the API answers 503.
 *
 * <pre>{@code
 * try (AnyText2Server s = AnyText2Server.start(ServerConfig.defaults(),
 *     () -> Engine.of(AnyText2Pipeline.open(dir, RuntimeOptions.cpu()), "my-model"))) {
 *   s.awaitReady(Duration.ofMinutes(5));
 *   s.awaitShutdown();
 * }
 * }</pre>
 */
public final class AnyText2Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnyText2Server.class);

  /** Where the service is in its life. */
  public enum State {
    LOADING,
    READY,
    FAILED,
    SHUTTING_DOWN,
    STOPPED
  }

  private final ServerConfig config;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final Metrics metrics = new Metrics();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile State state = State.LOADING;
  private volatile JobQueue queue;
  private volatile String loadError;
  private volatile RequestDecoder decoder;

  private AnyText2Server(ServerConfig config, HttpServer http, ExecutorService httpThreads) {
    this.config = config;
    this.http = http;
    this.httpThreads = httpThreads;
  }

  /** Binds the port, starts serving, and loads the engine on a background thread. */
  public static AnyText2Server start(ServerConfig config, Supplier<Engine> loader) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
    // synchronous requests hold a thread while they wait; at most workers + queue of them can wait
    // (the rest get 429 at once), so this many threads always leave 8 for health, metrics and polling
    int threads = config.workers() + config.queueCapacity() + 8;
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "anytext2-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(pool);
    AnyText2Server server = new AnyText2Server(config, http, pool);
    http.createContext("/", new ApiHandler(server));
    http.start();
    Thread load = new Thread(() -> server.load(loader), "anytext2-load");
    load.setDaemon(true);
    load.start();
    return server;
  }

  private void load(Supplier<Engine> loader) {
    long t0 = System.nanoTime();
    try {
      List<String> fonts = RequestDecoder.bundledFontNames();
      Engine engine = loader.get();
      synchronized (this) {
        if (state != State.LOADING) {
          engine.close(); // closed while loading
          return;
        }
        decoder = new RequestDecoder(config, fonts, engine.nativeSize());
        queue = new JobQueue(engine, config, metrics);
        state = State.READY;
      }
      LOG.info("model {} loaded on {} in {} ms", engine.model(), engine.provider(), (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException | Error e) {
      loadError = JobQueue.oneLine(e);
      state = State.FAILED;
      LOG.error("cannot load the model: {}", loadError);
    } finally {
      ready.countDown();
    }
  }

  public ServerConfig config() {
    return config;
  }

  public State state() {
    return state;
  }

  /** Why loading failed (null unless {@link State#FAILED}). */
  public String loadError() {
    return loadError;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Waits until loading ended; true when the service is ready. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return state == State.READY;
  }

  /** Blocks until {@link #close()} has finished (from another thread, e.g. a shutdown hook). */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Where the loaded model runs ("CPU", "CUDA device 0", …); null until it is loaded. */
  public String provider() {
    JobQueue q = queue;
    return q == null ? null : q.engine().provider();
  }

  Metrics metrics() {
    return metrics;
  }

  JobQueue queue() {
    return queue;
  }

  RequestDecoder decoder() {
    return decoder;
  }

  /**
   * Stops taking requests (503), cancels waiting jobs, gives running ones up to 30 s, then stops the
   * HTTP server and closes the engine. Idempotent.
   */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  public void close(Duration grace) {
    synchronized (this) {
      if (state == State.SHUTTING_DOWN || state == State.STOPPED) return;
      state = State.SHUTTING_DOWN;
    }
    try {
      JobQueue q = queue;
      boolean idle = true;
      if (q != null) {
        try {
          idle = q.shutdown(grace);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          idle = false;
        }
      }
      http.stop(1); // lets responses in progress (the jobs just ended) go out
      httpThreads.shutdownNow();
      if (q != null) {
        if (idle) {
          q.engine().close();
        } else {
          LOG.warn("a job is still running after the grace period; the engine is left to the process exit");
        }
      }
    } finally {
      state = State.STOPPED;
      stopped.countDown();
    }
  }
}
