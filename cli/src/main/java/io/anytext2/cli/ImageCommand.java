package io.anytext2.cli;

import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.io.ImageFiles;
import io.anytext2.sdk.io.RequestJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What generate and edit share: building the request, running it with a progress bar, writing files. */
abstract class ImageCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Mixin RequestOptions req;

  @Option(names = "--request", description = "read the request from a JSON file (the sidecar format); request flags are then not allowed")
  Path requestFile;

  @Option(names = "--out", required = true, description = "output .png/.jpg (with --count N: name-1.png … name-N.png)")
  Path out;

  @Option(names = "--overwrite", description = "replace existing output files")
  boolean overwrite;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean quiet;

  /** The request from the flags (subclasses add the mode-specific ones). */
  abstract AnyText2Request fromFlags();

  /** Paths recorded in the sidecar: {mask, image}. */
  abstract String[] inputPaths();

  @Override
  public Integer call() throws Exception {
    ImageFiles.formatOf(out);
    if (requestFile != null && req.anyGiven()) {
      throw new IllegalArgumentException("--request takes the whole request from the file; do not combine it with request flags");
    }
    AnyText2Request request = requestFile != null ? RequestJson.read(requestFile).toRequest(requestFile.toAbsolutePath().getParent()) : fromFlags();
    List<Path> files = outputs(out, request.count());
    for (Path f : files) ConvertCommand.refuseExisting(f, overwrite);
    Path modelDir = run.modelDir();
    if (run.model == null && request.lines().stream().anyMatch(l -> l.color() == null)) {
      // the shipped default model saw nearly every training line's colour (color_prob 1.0, 0.9 in its last stage): without one
      // its text turns to strokes
      System.err.println("note: the default model needs each line's colour (--color R,G,B per line); lines without one come out"
          + " as strokes, not letters (README \"The default model\")");
    }
    GenerationResult res;
    try (AnyText2Pipeline p = AnyText2Pipeline.open(modelDir, run.runtime(modelDir))) {
      request = request.withNativeSize(p.nativeSize()); // the sidecar records the size actually used
      if (quiet) {
        res = p.run(request);
      } else {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(request.mode() == AnyText2Request.Mode.EDIT ? "edit" : "generate")
            .setStyle(ProgressBarStyle.ASCII).setInitialMax(request.sampling().steps()).setUnit(" steps", 1).build()) {
          res = p.run(request, (done, total, x0) -> {
            bar.maxHint(total);
            bar.stepTo(done);
            return true;
          });
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      ImageFiles.write(res.images().get(i), files.get(i));
      names.add(files.get(i).getFileName().toString());
    }
    String[] in = inputPaths();
    RequestJson side = RequestJson.sidecar(request, res, in[0], in[1],
        new RequestJson.Result(modelDir.toAbsolutePath().toString(), res.provider(), res.steps(), res.millis(), names,
            RequestJson.positions(res)));
    Path sidecar = sidecarOf(out);
    RequestJson.JSON.writeValue(sidecar.toFile(), side);
    System.out.printf("wrote %s (%d image%s, seed %d, %d steps, %.1f s on %s); parameters in %s%n", String.join(", ", names),
        files.size(), files.size() == 1 ? "" : "s", res.seed(), res.steps(), res.millis() / 1000.0, res.provider(), sidecar.getFileName());
    return 0;
  }

  static List<Path> outputs(Path out, int count) {
    if (count == 1) return List.of(out);
    String n = out.getFileName().toString();
    int dot = n.lastIndexOf('.');
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= count; i++) files.add(out.resolveSibling(n.substring(0, dot) + "-" + i + n.substring(dot)));
    return files;
  }

  static Path sidecarOf(Path out) {
    String n = out.getFileName().toString();
    return out.resolveSibling(n.substring(0, n.lastIndexOf('.')) + ".json");
  }
}
