package io.anytext2.exporter.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.anytext2.exporter.ckpt.TensorCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The initializers of one graph. Each tensor's bytes are placed the moment it is added: inline
 * (kept as a ByteString until the model is written) or appended to a scratch external data file at
 * a 64-byte aligned offset. Only names, shapes and offsets stay in memory for external tensors.
 */
final class InitializerStore implements AutoCloseable {

  /** Offsets in the external file are multiples of this, so readers may map tensors aligned. */
  static final int ALIGNMENT = 64;

  /** Inline data beyond this cannot be serialised (protobuf's 2 GB limit, minus room for nodes). */
  private static final long INLINE_LIMIT = (1L << 31) - (64L << 20);

  private static final int CHUNK_BYTES = 1 << 20;

  private static final class Entry {
    final String name;
    final ElemType type;
    final long[] dims;
    final boolean followsPolicy;
    ByteString inline;
    long offset = -1;
    long length;

    Entry(String name, ElemType type, long[] dims, boolean followsPolicy) {
      this.name = name;
      this.type = type;
      this.dims = dims.clone();
      this.followsPolicy = followsPolicy;
    }
  }

  private final WeightStorage storage;
  private final List<Entry> entries = new ArrayList<>();
  private long policyBytes;
  private long inlineBytes;
  private boolean writingExternal;
  private Path scratch;
  private FileChannel channel;
  private long position;
  private boolean finished;

  InitializerStore(WeightStorage storage) {
    this.storage = storage;
    this.writingExternal = storage.placement() == WeightStorage.Placement.EXTERNAL;
  }

  /**
   * Adds a floating-point tensor stored as {@code type} (FLOAT, or FLOAT16 rounded to nearest even).
   * {@code followsPolicy} is false for small structural constants, which stay inline whatever the
   * placement.
   */
  void addFloats(String name, ElemType type, long[] dims, float[] values, boolean followsPolicy) {
    checkOpen();
    if (!type.isFloating())
      throw new IllegalArgumentException("initializer " + name + ": expected FLOAT or FLOAT16, found " + type);
    Entry e = new Entry(name, type, dims, followsPolicy);
    long bytes = (long) type.bytes() * values.length;
    if (followsPolicy) {
      policyBytes += bytes;
      if (storage.placement() == WeightStorage.Placement.AUTO
          && !writingExternal
          && policyBytes > storage.autoThresholdBytes()) {
        spillToExternal();
      }
    }
    if (followsPolicy && writingExternal) {
      e.offset = alignedEnd();
      e.length = bytes;
      writeFloats(values, type, e.offset);
      position = e.offset + bytes;
    } else {
      ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      encode(values, 0, values.length, type, buf);
      keepInline(e, buf.array());
    }
    entries.add(e);
  }

  /** Adds a small int64 tensor (shapes, axes, indices); always inline. */
  void addLongs(String name, long[] dims, long[] values) {
    checkOpen();
    Entry e = new Entry(name, ElemType.INT64, dims, false);
    ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    keepInline(e, buf.array());
    entries.add(e);
  }

  int size() {
    return entries.size();
  }

  /** The TensorProtos, external ones pointing at {@code location} (relative to the model file). */
  List<TensorProto> tensors(String location) {
    List<TensorProto> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      TensorProto.Builder t =
          TensorProto.newBuilder().setName(e.name).setDataType(e.type.onnxCode());
      for (long d : e.dims) t.addDims(d);
      if (e.inline != null) {
        t.setRawData(e.inline);
      } else {
        t.setDataLocation(TensorProto.DataLocation.EXTERNAL);
        t.addExternalData(entry("location", location));
        t.addExternalData(entry("offset", Long.toString(e.offset)));
        t.addExternalData(entry("length", Long.toString(e.length)));
      }
      out.add(t.build());
    }
    return out;
  }

  /** Closes the external file and moves it to {@code target}; no more tensors may be added. */
  void finish(Path target) throws IOException {
    checkOpen();
    finished = true;
    if (channel != null) {
      channel.close();
      channel = null;
    }
    if (scratch != null) {
      Files.move(scratch, target, StandardCopyOption.REPLACE_EXISTING);
      scratch = null; // the data now belongs to the saved model
    }
  }

  /** Deletes the scratch file unless it was moved next to a saved model. */
  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    if (scratch != null) {
      Files.deleteIfExists(scratch);
      scratch = null;
    }
    finished = true;
  }

  // ---------------------------------------------------------------- internals

  private void checkOpen() {
    if (finished)
      throw new IllegalStateException("graph already saved or closed; expected an open graph");
  }

  private void keepInline(Entry e, byte[] bytes) {
    inlineBytes += bytes.length;
    if (inlineBytes > INLINE_LIMIT) {
      throw new IllegalStateException(
          "inline initializers exceed the 2 GB protobuf limit at "
              + e.name
              + "; expected WeightStorage with external data");
    }
    e.inline = UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** AUTO crossed its threshold: every policy tensor kept inline so far moves to the file. */
  private void spillToExternal() {
    writingExternal = true;
    for (Entry e : entries) {
      if (!e.followsPolicy || e.inline == null) continue;
      e.offset = alignedEnd();
      e.length = e.inline.size();
      write(e.inline.asReadOnlyByteBuffer(), e.offset);
      position = e.offset + e.length;
      inlineBytes -= e.length;
      e.inline = null;
    }
  }

  private long alignedEnd() {
    return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private void writeFloats(float[] values, ElemType type, long offset) {
    int size = type.bytes();
    ByteBuffer buf =
        ByteBuffer.allocate(Math.min(CHUNK_BYTES, size * Math.max(1, values.length)))
            .order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = buf.capacity() / size;
    long at = offset;
    for (int from = 0; from < values.length; from += perChunk) {
      int n = Math.min(perChunk, values.length - from);
      buf.clear();
      encode(values, from, n, type, buf);
      buf.flip();
      write(buf, at);
      at += (long) size * n;
    }
  }

  /** Puts {@code values[from, from + n)} into {@code buf} at its position as {@code type}. */
  private static void encode(float[] values, int from, int n, ElemType type, ByteBuffer buf) {
    if (type == ElemType.FLOAT) {
      buf.asFloatBuffer().put(values, from, n);
      buf.position(buf.position() + 4 * n);
      return;
    }
    for (int i = from; i < from + n; i++) buf.putShort(TensorCodec.floatToHalf(values[i]));
  }

  private void write(ByteBuffer buf, long offset) {
    try {
      if (channel == null) {
        Files.createDirectories(storage.scratchDir());
        // createFile, not createTempFile: the data file ends up in the package and keeps default permissions
        scratch = Files.createFile(storage.scratchDir().resolve(
            "anytext2-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".onnx.data.part"));
        channel = FileChannel.open(scratch, StandardOpenOption.WRITE);
      }
      long at = offset;
      while (buf.hasRemaining()) at += channel.write(buf, at);
    } catch (IOException ex) {
      throw new UncheckedIOException("writing external initializer data to " + scratch, ex);
    }
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
