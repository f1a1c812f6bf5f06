package io.anytext2.server;

import java.time.Duration;

/**
 * How the HTTP service runs and what it accepts.
 *
 * @param host address to bind (127.0.0.1 keeps the service on this machine)
 * @param port TCP port (0 = any free port)
 * @param workers requests that run at the same time on the one loaded pipeline
 * @param queueCapacity requests that may wait for a worker; more are refused with 429
 * @param timeout longest time from arrival to result; a run past it is cancelled at its next DDIM step
 * @param maxBodyBytes largest request body (JSON with base64 pictures, or multipart)
 * @param maxPixels largest input picture (width × height) and largest output (width × height × count)
 * @param maxCount most images per request
 * @param maxSteps most DDIM steps per request
 * @param retainedJobs finished jobs kept for {@code GET /api/jobs/{id}} (oldest dropped first; also dropped after 15 minutes)
 */
public record ServerConfig(
    String host,
    int port,
    int workers,
    int queueCapacity,
    Duration timeout,
    long maxBodyBytes,
    long maxPixels,
    int maxCount,
    int maxSteps,
    int retainedJobs) {

  public ServerConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host is missing");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535, found " + port);
    if (workers < 1 || workers > 64) throw new IllegalArgumentException("workers must be 1-64, found " + workers);
    if (queueCapacity < 0 || queueCapacity > 10_000) throw new IllegalArgumentException("queue must be 0-10000, found " + queueCapacity);
    if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, found " + timeout);
    if (maxBodyBytes < 1024) throw new IllegalArgumentException("max body must be at least 1024 bytes, found " + maxBodyBytes);
    if (maxPixels < 64 * 64) throw new IllegalArgumentException("max pixels must be at least 4096, found " + maxPixels);
    if (maxCount < 1 || maxCount > 16) throw new IllegalArgumentException("max count must be 1-16, found " + maxCount);
    if (maxSteps < 1 || maxSteps > 1000) throw new IllegalArgumentException("max steps must be 1-1000, found " + maxSteps);
    if (retainedJobs < 1) throw new IllegalArgumentException("retained jobs must be at least 1, found " + retainedJobs);
  }

  /** Loopback only, port 8080, one worker, 4 waiting, 5 minutes, 32 MiB bodies, 2048² pixels, 4 images, 100 steps. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8080, 1, 4, Duration.ofMinutes(5), 32L << 20, 2048L * 2048, 4, 100, 32);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, workers, queueCapacity, timeout, maxBodyBytes, maxPixels, maxCount, maxSteps, retainedJobs);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(h, port, workers, queueCapacity, timeout, maxBodyBytes, maxPixels, maxCount, maxSteps, retainedJobs);
  }

  public ServerConfig withWorkers(int w, int queue) {
    return new ServerConfig(host, port, w, queue, timeout, maxBodyBytes, maxPixels, maxCount, maxSteps, retainedJobs);
  }

  public ServerConfig withTimeout(Duration t) {
    return new ServerConfig(host, port, workers, queueCapacity, t, maxBodyBytes, maxPixels, maxCount, maxSteps, retainedJobs);
  }

  public ServerConfig withLimits(long bodyBytes, long pixels, int count, int steps) {
    return new ServerConfig(host, port, workers, queueCapacity, timeout, bodyBytes, pixels, count, steps, retainedJobs);
  }
}
