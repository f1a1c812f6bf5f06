package io.anytext2.bench;

import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.runtime.ExecutionProvider;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.runtime.SessionFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Which execution providers load here: opens two small graphs of a package with TensorRT → CUDA → CPU
 * and prints where they run and why a provider was skipped (the fallback a pipeline would take).
 *
 * <pre>{@code java -cp anytext2-benchmarks.jar:lib/* io.anytext2.bench.ProviderCheck PACKAGE}</pre>
 */
public final class ProviderCheck {
  private ProviderCheck() {}

  public static void main(String[] args) {
    if (args.length != 1) throw new IllegalArgumentException("usage: ProviderCheck PACKAGE");
    ModelPackage pkg = ModelPackage.open(Path.of(args[0]));
    System.out.println("providers in this ONNX Runtime build: " + SessionFactory.available());
    SessionFactory f = new SessionFactory(new RuntimeOptions(List.of(new ExecutionProvider.TensorRt(0, null, true),
        new ExecutionProvider.Cuda(0)), false, 0));
    for (String g : List.of(GraphNames.EMBEDDING, GraphNames.VAE_ENCODER)) {
      try (GraphStage s = GraphStage.open(pkg, g, f)) {
        System.out.println(g + " runs on " + SessionFactory.describe(f.chosen()));
      }
    }
    f.unusable().forEach((p, why) -> System.out.println("skipped " + SessionFactory.describe(p) + ": " + why));
  }
}
