package io.anytext2.exporter.ckpt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part shared by the readers: the key index, and decoding of a tensor's byte stream in chunks,
 * so a conversion never holds the raw bytes and the result array at full size together.
 */
abstract class AbstractCheckpoint implements Checkpoint {
  /** Bytes decoded per step; a multiple of every element size. */
  private static final int CHUNK_BYTES = 1 << 20;
  /** The largest Java array we allocate (some VMs reserve a few header words). */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  protected final Path file;
  private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
  private List<String> keys = List.of();
  private volatile boolean closed;

  protected AbstractCheckpoint(Path file) {
    this.file = file;
  }

  /** Registers a tensor; called by the subclass while indexing, in file order. */
  protected void index(TensorInfo info) {
    if (infos.putIfAbsent(info.key(), info) != null) {
      throw new CheckpointException("checkpoint " + file + " holds tensor " + info.key() + " twice");
    }
    keys = null;
  }

  /**
   * Opens the tensor's data: exactly {@code info.byteSize()} bytes, contiguous and row-major, in
   * {@link #byteOrder()}. The caller reads them all and closes the stream.
   */
  protected abstract InputStream openData(TensorInfo info) throws IOException;

  /** Byte order of the file's tensor data. */
  protected ByteOrder byteOrder() {
    return ByteOrder.LITTLE_ENDIAN;
  }

  /** The file this checkpoint reads. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized List<String> keys() {
    if (keys == null) {
      keys = Collections.unmodifiableList(List.copyOf(infos.keySet()));
    }
    return keys;
  }

  @Override
  public TensorInfo info(String key) {
    TensorInfo info = infos.get(key);
    if (info == null) {
      throw new IllegalArgumentException("checkpoint " + file + " has no tensor named '" + key + "'");
    }
    return info;
  }

  @Override
  public boolean contains(String key) {
    return infos.containsKey(key);
  }

  @Override
  public float[] readFloats(String key) {
    TensorInfo info = info(key);
    float[] out = new float[arrayLength(info)];
    decode(info, (buf, from, count) -> TensorCodec.decodeFloats(buf, info.dtype(), out, from, count));
    return out;
  }

  @Override
  public double[] readDoubles(String key) {
    TensorInfo info = info(key);
    double[] out = new double[arrayLength(info)];
    decode(info, (buf, from, count) -> TensorCodec.decodeDoubles(buf, info.dtype(), out, from, count));
    return out;
  }

  @Override
  public long[] readLongs(String key) {
    TensorInfo info = info(key);
    if (info.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "tensor " + key + ": expected an integer or BOOL tensor for readLongs, found " + info.dtype());
    }
    long[] out = new long[arrayLength(info)];
    decode(info, (buf, from, count) -> TensorCodec.decodeLongs(buf, info.dtype(), out, from, count));
    return out;
  }

  @Override
  public byte[] readBytes(String key) {
    TensorInfo info = info(key);
    long size = info.byteSize();
    if (size > MAX_ARRAY) {
      throw new CheckpointException(
          "tensor " + key + " in " + file + " has " + size + " bytes, more than a Java array holds");
    }
    byte[] out = new byte[(int) size];
    try (InputStream in = open(info)) {
      readExactly(in, out, 0, out.length, info);
    } catch (IOException e) {
      throw readFailure(info, e);
    }
    if (byteOrder() != ByteOrder.LITTLE_ENDIAN) {
      TensorCodec.swapBytes(out, 0, out.length, info.dtype().byteSize());
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
  }

  protected void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("checkpoint " + file + " is closed");
    }
  }

  private InputStream open(TensorInfo info) throws IOException {
    ensureOpen();
    return openData(info);
  }

  private interface ChunkDecoder {
    void decode(ByteBuffer littleEndian, int fromElement, int count);
  }

  private void decode(TensorInfo info, ChunkDecoder decoder) {
    int elementSize = info.dtype().byteSize();
    long total = info.byteSize();
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, Math.max(total, elementSize))];
    ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    boolean swap = byteOrder() != ByteOrder.LITTLE_ENDIAN;
    try (InputStream in = open(info)) {
      int element = 0;
      for (long done = 0; done < total; ) {
        int n = (int) Math.min(chunk.length, total - done);
        readExactly(in, chunk, 0, n, info);
        if (swap) {
          TensorCodec.swapBytes(chunk, 0, n, elementSize);
        }
        view.clear();
        decoder.decode(view, element, n / elementSize);
        element += n / elementSize;
        done += n;
      }
    } catch (IOException e) {
      throw readFailure(info, e);
    }
  }

  private void readExactly(InputStream in, byte[] dst, int off, int len, TensorInfo info) throws IOException {
    int n = in.readNBytes(dst, off, len);
    if (n != len) {
      throw new CheckpointException(
          "tensor " + info.key() + " in " + file + ": data ends early (expected " + len + " more bytes, found " + n
              + "); the file is truncated or corrupt");
    }
  }

  private int arrayLength(TensorInfo info) {
    long n = info.numel();
    if (n > MAX_ARRAY) {
      throw new CheckpointException(
          "tensor " + info.key() + " in " + file + " has " + n + " elements, more than a Java array holds");
    }
    return (int) n;
  }

  private CheckpointException readFailure(TensorInfo info, IOException e) {
    return new CheckpointException("cannot read tensor " + info.key() + " from " + file + ": " + e.getMessage(), e);
  }
}
