package io.anytext2.exporter.ckpt;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Supplies the data of one tensor to a checkpoint writer by streaming it, so a writer never needs
 * the tensor as one array: exactly {@link TensorInfo#byteSize()} bytes, contiguous, row-major,
 * little-endian. Writers check the count and fail naming the key when it differs.
 */
@FunctionalInterface
public interface TensorData {

  void write(TensorInfo info, OutputStream out) throws IOException;

  /** Adapts a supplier of whole byte arrays (one tensor in memory at a time). */
  static TensorData ofBytes(SafetensorsWriter.TensorBytes bytes) {
    return (info, out) -> {
      byte[] b = bytes.bytes(info);
      if (b == null || b.length != info.byteSize()) {
        throw new IllegalArgumentException("tensor " + info.key() + ": expected " + info.byteSize() + " bytes (" + info
            + "), found " + (b == null ? "null" : b.length));
      }
      out.write(b);
    };
  }
}
