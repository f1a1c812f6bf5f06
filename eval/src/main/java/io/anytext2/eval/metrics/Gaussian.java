package io.anytext2.eval.metrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mean and covariance of a feature set, in double precision.
 *
 * @param count number of samples the statistics came from
 * @param cov the unbiased covariance (divided by count − 1, as {@code numpy.cov} does)
 */
public record Gaussian(long count, double[] mean, double[][] cov) {
  private static final int MAGIC = 0x41543246; // "AT2F"

  public Gaussian {
    int d = mean.length;
    if (d == 0) throw new IllegalArgumentException("expected at least one feature dimension, found 0");
    if (cov.length != d) throw new IllegalArgumentException("expected a " + d + "x" + d + " covariance, found " + cov.length + " rows");
    for (double[] row : cov) {
      if (row.length != d) throw new IllegalArgumentException("expected covariance rows of " + d + ", found " + row.length);
    }
  }

  public int dim() {
    return mean.length;
  }

  /** Statistics of explicit samples (rows). */
  public static Gaussian ofSamples(double[][] samples) {
    GaussianAccumulator acc = new GaussianAccumulator(samples[0].length);
    for (double[] s : samples) acc.add(s);
    return acc.result();
  }

  /** Writes the statistics (binary, big-endian doubles) for reuse, e.g. of a reference folder. */
  public void write(Path file, String key) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.writeInt(MAGIC);
      out.writeUTF(key);
      out.writeLong(count);
      out.writeInt(mean.length);
      for (double v : mean) out.writeDouble(v);
      for (double[] row : cov) for (double v : row) out.writeDouble(v);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads statistics written with the same {@code key}; null when the file is absent or for another key. */
  public static Gaussian read(Path file, String key) throws IOException {
    if (!Files.isRegularFile(file)) return null;
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || !in.readUTF().equals(key)) return null;
      long count = in.readLong();
      int d = in.readInt();
      double[] mean = new double[d];
      for (int i = 0; i < d; i++) mean[i] = in.readDouble();
      double[][] cov = new double[d][d];
      for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) cov[i][j] = in.readDouble();
      return new Gaussian(count, mean, cov);
    }
  }
}
