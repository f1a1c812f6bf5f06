package io.anytext2.cli;

import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.server.AnyText2Server;
import io.anytext2.server.Engine;
import io.anytext2.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anytext2 serve}: the HTTP service and its web page. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve generate/edit over HTTP with a web page at /: POST /api/generate and /api/edit (the --request JSON,",
      "pictures as base64 or multipart parts), GET /api/jobs/{id}, GET /health, GET /metrics (Prometheus)."
    },
    footer = {
      "",
      "Examples:",
      "  anytext2 serve --model models/anytext2-onnx --port 8080",
      "  anytext2 serve --model models/anytext2-onnx --device cuda:0 --host 0.0.0.0 --port 8080 --workers 2 --queue 8",
      "  curl -s localhost:8080/api/generate -H 'Content-Type: application/json' -H 'Accept: image/png' -d '{\"prompt\":\"a shop sign\",\"lines\":[{\"text\":\"OPEN\"}]}' > sign.png"
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--port", required = true, description = "TCP port (0 picks a free one)")
  int port;

  @Option(names = "--host", description = "address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for all)",
      defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--workers", description = "requests run at the same time (default ${DEFAULT-VALUE})", defaultValue = "1")
  int workers;

  @Option(names = "--queue", description = "requests that may wait; more get 429 (default ${DEFAULT-VALUE})", defaultValue = "4")
  int queue;

  @Option(names = "--timeout-s", description = "seconds from arrival to result before a request is cancelled (default ${DEFAULT-VALUE})",
      defaultValue = "300")
  int timeoutSeconds;

  @Option(names = "--max-pixels", description = "largest input picture and output (width x height x count) in pixels (default ${DEFAULT-VALUE})",
      defaultValue = "4194304")
  long maxPixels;

  @Option(names = "--max-body-mb", description = "largest request body in MiB (default ${DEFAULT-VALUE})", defaultValue = "32")
  int maxBodyMb;

  @Option(names = "--max-count", description = "most images per request (default ${DEFAULT-VALUE})", defaultValue = "4")
  int maxCount;

  @Option(names = "--max-steps", description = "most DDIM steps per request (default ${DEFAULT-VALUE})", defaultValue = "100")
  int maxSteps;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) throw new IllegalArgumentException("--timeout-s must be at least 1, found " + timeoutSeconds);
    ServerConfig config = ServerConfig.defaults().withHost(host).withPort(port).withWorkers(workers, queue)
        .withTimeout(Duration.ofSeconds(timeoutSeconds)).withLimits((long) maxBodyMb << 20, maxPixels, maxCount, maxSteps);
    Path modelDir = run.modelDir();
    var runtime = run.runtime(modelDir);
    String name = modelDir.toAbsolutePath().normalize().getFileName().toString();
    AnyText2Server server;
    try {
      server = AnyText2Server.start(config, () -> Engine.of(AnyText2Pipeline.open(modelDir, runtime), name));
    } catch (java.net.BindException e) {
      throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
    }
    Thread stop = new Thread(server::close, "anytext2-shutdown");
    Runtime.getRuntime().addShutdownHook(stop);
    System.out.printf("anytext2 serve: listening on %s (loading %s …; Ctrl-C stops)%n", server.uri(), name);
    if (server.awaitReady(Duration.ofDays(1))) {
      System.out.printf("anytext2 serve: ready — %s on %s, %d worker(s), queue %d, timeout %d s%n", name,
          server.provider(), workers, queue, timeoutSeconds);
    } else if (server.state() == AnyText2Server.State.FAILED) {
      server.close();
      Runtime.getRuntime().removeShutdownHook(stop);
      throw new IllegalStateException("cannot load the model: " + server.loadError());
    }
    server.awaitShutdown();
    return 0;
  }
}
