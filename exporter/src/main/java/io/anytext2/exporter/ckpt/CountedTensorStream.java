package io.anytext2.exporter.ckpt;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * The stream a {@link TensorData} writes one tensor into: it forwards the bytes, keeps their
 * CRC-32 (for zip entries) and refuses more than the tensor's size; {@link #finish} refuses fewer.
 * Closing it does not close the file underneath.
 */
final class CountedTensorStream extends FilterOutputStream {
  private final TensorInfo info;
  private final CRC32 crc = new CRC32();
  private long written;

  CountedTensorStream(OutputStream out, TensorInfo info) {
    super(out);
    this.info = info;
  }

  @Override
  public void write(int b) throws IOException {
    check(1);
    out.write(b);
    crc.update(b);
    written++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check(len);
    out.write(b, off, len);
    crc.update(b, off, len);
    written += len;
  }

  @Override
  public void close() {
    // the file stays open for the next tensor
  }

  /** Checks that the whole tensor arrived; returns its CRC-32. */
  long finish() {
    if (written != info.byteSize()) {
      throw new IllegalArgumentException("tensor " + info.key() + ": expected " + info.byteSize() + " bytes (" + info
          + "), found " + written);
    }
    return crc.getValue();
  }

  private void check(long len) {
    if (written + len > info.byteSize()) {
      throw new IllegalArgumentException("tensor " + info.key() + ": expected " + info.byteSize() + " bytes (" + info
          + "), found more");
    }
  }
}
