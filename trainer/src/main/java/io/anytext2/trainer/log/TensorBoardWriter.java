package io.anytext2.trainer.log;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes a TensorBoard event file, {@code events.out.tfevents.<epoch-seconds>.<hostname>}, into a
 * log directory (TRAINING.md §3.8: the original logs under {@code lightning_logs/version_*}).
 *
 * <p>The file is a TFRecord stream: per record a little-endian uint64 length, the masked CRC32C of
 * those 8 bytes, the data, and the masked CRC32C of the data. Each record holds one {@code
 * tensorflow.Event} protobuf, encoded by hand: first {@code {wall_time, file_version:
 * "brain.Event:2"}}, then {@code {wall_time, step, summary: {value: [{tag, simple_value | image}]}}}.
 * Every write is flushed, so a running TensorBoard sees it at once and a crash loses nothing that
 * was written. Methods are thread-safe; failures to write are {@link UncheckedIOException}s.
 */
public final class TensorBoardWriter implements AutoCloseable {
  /** The version string TensorBoard expects in the first event of a file. */
  static final String FILE_VERSION = "brain.Event:2";

  // tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto field numbers.
  private static final int EVENT_WALL_TIME = 1;
  private static final int EVENT_STEP = 2;
  private static final int EVENT_FILE_VERSION = 3;
  private static final int EVENT_SUMMARY = 5;
  private static final int SUMMARY_VALUE = 1;
  private static final int VALUE_TAG = 1;
  private static final int VALUE_SIMPLE_VALUE = 2;
  private static final int VALUE_IMAGE = 4;
  private static final int IMAGE_HEIGHT = 1;
  private static final int IMAGE_WIDTH = 2;
  private static final int IMAGE_COLORSPACE = 3;
  private static final int IMAGE_ENCODED = 4;
  private static final int COLORSPACE_RGB = 3;

  private final Path file;
  private final Clock clock;
  private final OutputStream out;
  private boolean closed;

  private TensorBoardWriter(Path file, Clock clock) throws IOException {
    this.file = file;
    this.clock = clock;
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW));
    writeEvent(new ProtoWriter()
        .float64(EVENT_WALL_TIME, wallTime())
        .string(EVENT_FILE_VERSION, FILE_VERSION));
  }

  /**
   * Creates {@code logDir} if needed and a new event file in it. When a file of the same second and
   * host exists (two writers in one second), a counter is appended to the name.
   */
  public static TensorBoardWriter open(Path logDir) {
    return open(logDir, Clock.systemUTC(), hostName());
  }

  static TensorBoardWriter open(Path logDir, Clock clock, String host) {
    Objects.requireNonNull(logDir, "logDir");
    try {
      Files.createDirectories(logDir);
      String base = "events.out.tfevents." + clock.instant().getEpochSecond() + "." + host;
      for (int n = 0; ; n++) {
        Path candidate = logDir.resolve(n == 0 ? base : base + "." + n);
        try {
          return new TensorBoardWriter(candidate, clock);
        } catch (FileAlreadyExistsException e) {
          // another writer took this name in the same second: try the next
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a TensorBoard event file in " + logDir, e);
    }
  }

  /**
   * The next free {@code version_N} folder under a logs root (N = 1 + the largest existing, else 0),
   * as Lightning's TensorBoard logger numbers runs under {@code lightning_logs/}. Not created.
   */
  public static Path nextVersionDir(Path logsRoot) {
    int next = 0;
    if (Files.isDirectory(logsRoot)) {
      try (var entries = Files.list(logsRoot)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          String name = p.getFileName().toString();
          if (Files.isDirectory(p) && name.matches("version_\\d{1,9}")) {
            next = Math.max(next, Integer.parseInt(name.substring("version_".length())) + 1);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + logsRoot, e);
      }
    }
    return logsRoot.resolve("version_" + next);
  }

  /** The event file being written. */
  public Path file() {
    return file;
  }

  /** Logs one scalar ({@code simple_value}, shown under TensorBoard's Scalars tab). */
  public void addScalar(String tag, double value, long step) {
    addScalars(Map.of(tag, value), step);
  }

  /**
   * Logs several scalars of one step as one event (iteration order of the map is kept), e.g.
   * {@code {"t/sim": 0.12, "t/loss": 0.12, "lr": 2e-5}}. Values are stored as float32.
   */
  public void addScalars(Map<String, ? extends Number> values, long step) {
    Map<String, Number> copy = new LinkedHashMap<>(values);
    ProtoWriter summary = new ProtoWriter();
    copy.forEach((tag, v) -> summary.message(SUMMARY_VALUE, new ProtoWriter()
        .string(VALUE_TAG, checkTag(tag))
        .float32(VALUE_SIMPLE_VALUE, Objects.requireNonNull(v, "value of " + tag).floatValue())));
    writeSummary(summary, step);
  }

  /** Logs an image (encoded as PNG), shown under TensorBoard's Images tab. */
  public void addImage(String tag, BufferedImage image, long step) {
    addPng(tag, ImageGrid.encodePng(image), image.getWidth(), image.getHeight(), step);
  }

  /** Logs an already encoded RGB PNG of the given size. */
  public void addPng(String tag, byte[] png, int width, int height, long step) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("expected a positive image size, found " + width + "x" + height);
    }
    ProtoWriter image = new ProtoWriter()
        .int64(IMAGE_HEIGHT, height)
        .int64(IMAGE_WIDTH, width)
        .int64(IMAGE_COLORSPACE, COLORSPACE_RGB)
        .bytes(IMAGE_ENCODED, png);
    ProtoWriter summary = new ProtoWriter().message(SUMMARY_VALUE, new ProtoWriter()
        .string(VALUE_TAG, checkTag(tag))
        .message(VALUE_IMAGE, image));
    writeSummary(summary, step);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }

  private void writeSummary(ProtoWriter summary, long step) {
    if (step < 0) {
      throw new IllegalArgumentException("expected a step >= 0, found " + step);
    }
    ProtoWriter event = new ProtoWriter().float64(EVENT_WALL_TIME, wallTime());
    if (step != 0) { // proto3 leaves default values out, as TensorFlow's writer does
      event.int64(EVENT_STEP, step);
    }
    writeEvent(event.message(EVENT_SUMMARY, summary));
  }

  private synchronized void writeEvent(ProtoWriter event) {
    if (closed) {
      throw new IllegalStateException("TensorBoardWriter for " + file + " is closed");
    }
    try {
      writeRecord(out, event.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + file, e);
    }
  }

  /** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
  static void writeRecord(OutputStream out, byte[] data) throws IOException {
    byte[] length = new byte[8];
    long n = data.length;
    for (int i = 0; i < 8; i++) {
      length[i] = (byte) (n >>> (8 * i));
    }
    out.write(length);
    writeInt32(out, maskedCrc32c(length, 0, 8));
    out.write(data);
    writeInt32(out, maskedCrc32c(data, 0, data.length));
  }

  /**
   * CRC32C (Castagnoli) of the bytes, masked as TFRecord does (tensorflow/core/lib/hash/crc32c.h):
   * rotate right by 15 bits and add 0xa282ead8, so that CRCs of data that contains CRCs stay strong.
   */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static void writeInt32(OutputStream out, int v) throws IOException {
    for (int i = 0; i < 4; i++) {
      out.write(v >>> (8 * i));
    }
  }

  private double wallTime() {
    return clock.millis() / 1000.0;
  }

  private static String checkTag(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("expected a non-blank TensorBoard tag, found \"" + tag + "\"");
    }
    return tag;
  }

  private static String hostName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException | SecurityException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    String safe = host.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "localhost" : safe;
  }
}
