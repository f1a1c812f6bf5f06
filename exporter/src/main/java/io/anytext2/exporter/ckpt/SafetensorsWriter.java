package io.anytext2.exporter.ckpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes safetensors files. Tensors are written in list order, one at a time as their bytes are
 * supplied (whole, or streamed through {@link TensorData}), so at most one tensor is in memory at
 * once. The file appears atomically: it is written to a temporary file in the target's directory,
 * flushed to disk, then renamed over the target; on failure the target is untouched and the
 * temporary file is removed.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /** Supplies one tensor's data: {@code info.byteSize()} bytes, contiguous, row-major, little-endian. */
  @FunctionalInterface
  public interface TensorBytes {
    byte[] bytes(TensorInfo info) throws IOException;
  }

  /** Writes {@code tensors} without metadata. */
  public static void write(Path file, List<TensorInfo> tensors, TensorBytes data) throws IOException {
    write(file, tensors, data, Map.of());
  }

  /**
   * Writes {@code tensors} (unique keys, none named {@code __metadata__}) with {@code metadata} as the
   * header's {@code __metadata__} (omitted when empty). A supplied byte array of the wrong length
   * fails with {@link IllegalArgumentException} naming the key.
   */
  public static void write(Path file, List<TensorInfo> tensors, TensorBytes data, Map<String, String> metadata)
      throws IOException {
    write(file, tensors, TensorData.ofBytes(data), metadata);
  }

  /**
   * As {@link #write(Path, List, TensorBytes, Map)}, with each tensor's bytes streamed by {@code data}
   * (no tensor need be held as one array).
   */
  public static void write(Path file, List<TensorInfo> tensors, TensorData data, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    Path target = file.toAbsolutePath();
    // createFile, not createTempFile: the finished file gets the default permissions, not owner-only ones
    Path temp = Files.createFile(target.resolveSibling(
        "." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp"));
    boolean done = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (TensorInfo info : tensors) {
          CountedTensorStream counted = new CountedTensorStream(out, info);
          data.write(info, counted);
          counted.finish();
        }
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes so the data section is aligned. */
  static byte[] header(List<TensorInfo> tensors, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(SafetensorsFile.METADATA_KEY);
      metadata.forEach((k, v) -> meta.put(k, Objects.requireNonNull(v, "metadata value of " + k)));
    }
    Set<String> seen = new HashSet<>();
    long offset = 0;
    for (TensorInfo info : tensors) {
      if (info.key().equals(SafetensorsFile.METADATA_KEY)) {
        throw new IllegalArgumentException("tensor key " + info.key() + " is reserved for the header's metadata");
      }
      if (!seen.add(info.key())) {
        throw new IllegalArgumentException("expected unique tensor keys, found " + info.key() + " twice");
      }
      ObjectNode node = root.putObject(info.key());
      node.put("dtype", info.dtype().safetensorsName());
      ArrayNode shape = node.putArray("shape");
      for (long d : info.shape()) {
        shape.add(d);
      }
      long end = offset + info.byteSize();
      node.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a header of plain values", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] header = new byte[padded];
    System.arraycopy(json, 0, header, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      header[i] = ' ';
    }
    return header;
  }
}
