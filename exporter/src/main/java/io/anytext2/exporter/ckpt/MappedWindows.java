package io.anytext2.exporter.ckpt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only memory map of a whole file as consecutive windows, because one {@link
 * MappedByteBuffer} addresses at most 2 GB. A read that crosses a window boundary continues in
 * the next window. The mapping stays valid after the channel is closed; the OS releases it when
 * the buffers are collected.
 */
final class MappedWindows {
  /** Default window: 1 GiB, well under the 2 GB buffer limit. */
  static final long DEFAULT_WINDOW = 1L << 30;

  private final long size;
  private final long window;
  private final MappedByteBuffer[] windows;

  MappedWindows(FileChannel channel, long window) throws IOException {
    if (window <= 0 || window > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("expected a window in (0, 2^31), found " + window);
    }
    this.size = channel.size();
    this.window = window;
    int count = (int) ((size + window - 1) / window);
    windows = new MappedByteBuffer[count];
    for (int i = 0; i < count; i++) {
      long start = i * window;
      windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(window, size - start));
    }
  }

  long size() {
    return size;
  }

  /** Copies {@code len} bytes starting at file position {@code pos} into {@code dst[off..]}. */
  void read(long pos, byte[] dst, int off, int len) {
    if (pos < 0 || len < 0 || pos + len > size) {
      throw new IndexOutOfBoundsException("read of " + len + " bytes at " + pos + " outside a file of " + size);
    }
    while (len > 0) {
      int w = (int) (pos / window);
      int inWindow = (int) (pos - w * window);
      int n = Math.min(len, windows[w].capacity() - inWindow);
      windows[w].get(inWindow, dst, off, n); // absolute bulk get: no shared position, so thread-safe
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** A stream over the file bytes {@code [pos, pos + len)}. */
  InputStream stream(long pos, long len) {
    if (pos < 0 || len < 0 || pos + len > size) {
      throw new IndexOutOfBoundsException("range of " + len + " bytes at " + pos + " outside a file of " + size);
    }
    return new InputStream() {
      private long next = pos;
      private final long end = pos + len;

      @Override
      public int read() {
        if (next >= end) {
          return -1;
        }
        byte[] one = new byte[1];
        MappedWindows.this.read(next++, one, 0, 1);
        return one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int n) {
        if (n == 0) {
          return 0;
        }
        if (next >= end) {
          return -1;
        }
        int count = (int) Math.min(n, end - next);
        MappedWindows.this.read(next, b, off, count);
        next += count;
        return count;
      }

      @Override
      public long skip(long n) {
        long count = Math.max(0, Math.min(n, end - next));
        next += count;
        return count;
      }
    };
  }
}
