package io.anytext2.cli;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.ckpt.OverlayCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint with some key prefixes taken from other checkpoints, from {@code PREFIX=FILE} options
 * ({@code train --init-part}): how stages that trained disjoint parts are joined. The returned checkpoint owns and closes every file it opened; on an error none stays open.
 */
final class CheckpointParts {
  private CheckpointParts() {}

  static Checkpoint open(Path base, List<String> parts, String option) {
    List<Map.Entry<String, Checkpoint>> overlays = new ArrayList<>();
    Checkpoint baseCkpt = null;
    try {
      for (String part : parts) {
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) throw new IllegalArgumentException(option + ": expected PREFIX=FILE, found '" + part + "'");
        Path file = Path.of(part.substring(eq + 1));
        ConvertCommand.requireFile(file, option + " checkpoint");
        overlays.add(Map.entry(part.substring(0, eq), Checkpoints.open(file)));
      }
      baseCkpt = Checkpoints.open(base);
      return overlays.isEmpty() ? baseCkpt : new OverlayCheckpoint(baseCkpt, overlays, option);
    } catch (RuntimeException e) {
      if (baseCkpt != null) baseCkpt.close();
      overlays.forEach(o -> o.getValue().close());
      throw e;
    }
  }
}
