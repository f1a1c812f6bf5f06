package io.anytext2.exporter.ckpt;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A zip archive of uncompressed (STORED) entries whose data start at multiples of 64 bytes, as
 * {@code torch.save} writes them (it pads the local header's extra field with a "FB" record), so
 * readers may map tensors in place. Entry sizes are known in advance and the data are streamed;
 * each CRC-32 is patched into its local header afterwards, so no data descriptors are needed.
 *
 * <p>ZIP64 records are written where a value does not fit 32 bits (offsets past 4 GB, more than
 * 65535 entries), or everywhere when {@code forceZip64} is set (for tests of small files).
 */
final class AlignedZipWriter {
  static final int ALIGNMENT = 64;

  private static final int LOCAL_HEADER = 30;
  private static final int CENTRAL_HEADER = 46;
  private static final long MAX_32 = 0xFFFFFFFFL;
  private static final int MAX_16 = 0xFFFF;
  private static final int ZIP64_TAG = 0x0001;
  /** "FB": the padding record torch's writer puts in the extra field. */
  private static final int PADDING_TAG = 'F' | ('B' << 8);
  private static final int VERSION_DEFAULT = 20;
  private static final int VERSION_ZIP64 = 45;
  /** 1980-01-01 00:00, the earliest DOS date: entries carry no real time so output is reproducible. */
  private static final int DOS_DATE = (1 << 5) | 1;

  private record Entry(String name, long offset, long size, long crc) {}

  private final FileChannel channel;
  private final boolean forceZip64;
  private final OutputStream out;
  private final List<Entry> entries = new ArrayList<>();
  private long position;
  private String openName;
  private long openOffset;
  private long openSize;
  private long openDataStart;

  AlignedZipWriter(FileChannel channel, boolean forceZip64) throws IOException {
    this.channel = channel;
    this.forceZip64 = forceZip64;
    this.position = channel.position();
    OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
    this.out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        file.write(b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        file.write(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        file.flush();
      }
    };
  }

  /** Writes a small entry whole. */
  void entry(String name, byte[] data) throws IOException {
    OutputStream body = begin(name, data.length);
    body.write(data);
    CRC32 crc = new CRC32();
    crc.update(data);
    end(crc.getValue());
  }

  /**
   * Starts an entry of exactly {@code size} bytes; write them to the returned stream (do not close
   * it), then call {@link #end} with their CRC-32.
   */
  OutputStream begin(String name, long size) throws IOException {
    if (openName != null) throw new IllegalStateException("entry " + openName + " is still open");
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > MAX_16) throw new IllegalArgumentException("expected a zip entry name under 64 KB, found " + name);
    boolean zip64 = forceZip64 || size >= MAX_32;
    int zip64Length = zip64 ? 4 + 16 : 0;
    long unpadded = position + LOCAL_HEADER + nameBytes.length + zip64Length + 4;
    int padding = (int) ((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT);
    ByteBuffer h = le(LOCAL_HEADER + nameBytes.length + zip64Length + 4 + padding);
    h.putInt(0x04034b50).putShort((short) (zip64 ? VERSION_ZIP64 : VERSION_DEFAULT)).putShort((short) 0)
        .putShort((short) 0) // method: STORED
        .putShort((short) 0).putShort((short) DOS_DATE)
        .putInt(0) // CRC-32, patched by end()
        .putInt((int) (zip64 ? MAX_32 : size)).putInt((int) (zip64 ? MAX_32 : size))
        .putShort((short) nameBytes.length).putShort((short) (zip64Length + 4 + padding)).put(nameBytes);
    if (zip64) h.putShort((short) ZIP64_TAG).putShort((short) 16).putLong(size).putLong(size);
    h.putShort((short) PADDING_TAG).putShort((short) padding);
    for (int i = 0; i < padding; i++) h.put((byte) 'Z');
    openName = name;
    openOffset = position;
    openSize = size;
    out.write(h.array());
    openDataStart = position;
    return out;
  }

  /** Ends the open entry: checks its size and patches its CRC-32 into the local header. */
  void end(long crc) throws IOException {
    if (openName == null) throw new IllegalStateException("no entry is open");
    long written = position - openDataStart;
    if (written != openSize) {
      throw new IllegalStateException("zip entry " + openName + ": expected " + openSize + " bytes, found " + written);
    }
    out.flush();
    ByteBuffer crcBytes = le(4).putInt((int) crc).flip();
    long at = openOffset + 14;
    while (crcBytes.hasRemaining()) at += channel.write(crcBytes, at);
    entries.add(new Entry(openName, openOffset, openSize, crc));
    openName = null;
  }

  /** Writes the central directory and the end records; the archive is complete afterwards. */
  void finish() throws IOException {
    if (openName != null) throw new IllegalStateException("entry " + openName + " is still open");
    long centralStart = position;
    for (Entry e : entries) out.write(centralHeader(e));
    long centralSize = position - centralStart;
    boolean zip64 = forceZip64 || entries.size() >= MAX_16 || centralStart >= MAX_32 || centralSize >= MAX_32;
    if (zip64) {
      long recordStart = position;
      ByteBuffer r = le(56 + 20);
      r.putInt(0x06064b50).putLong(44).putShort((short) VERSION_ZIP64).putShort((short) VERSION_ZIP64)
          .putInt(0).putInt(0).putLong(entries.size()).putLong(entries.size()).putLong(centralSize).putLong(centralStart);
      r.putInt(0x07064b50).putInt(0).putLong(recordStart).putInt(1); // locator
      out.write(r.array());
    }
    ByteBuffer end = le(22);
    int count = zip64 ? MAX_16 : entries.size();
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
        .putInt((int) (zip64 ? MAX_32 : centralSize)).putInt((int) (zip64 ? MAX_32 : centralStart)).putShort((short) 0);
    out.write(end.array());
    out.flush();
  }

  private byte[] centralHeader(Entry e) {
    byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
    boolean bigSize = forceZip64 || e.size >= MAX_32;
    boolean bigOffset = forceZip64 || e.offset >= MAX_32;
    // the ZIP64 record holds, in this order, exactly the fields whose 32-bit slot says 0xFFFFFFFF
    int zip64Data = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
    int extra = zip64Data > 0 ? 4 + zip64Data : 0;
    int version = zip64Data > 0 ? VERSION_ZIP64 : VERSION_DEFAULT;
    ByteBuffer h = le(CENTRAL_HEADER + name.length + extra);
    h.putInt(0x02014b50).putShort((short) version).putShort((short) version).putShort((short) 0).putShort((short) 0)
        .putShort((short) 0).putShort((short) DOS_DATE).putInt((int) e.crc)
        .putInt((int) (bigSize ? MAX_32 : e.size)).putInt((int) (bigSize ? MAX_32 : e.size))
        .putShort((short) name.length).putShort((short) extra).putShort((short) 0) // comment length
        .putShort((short) 0).putShort((short) 0).putInt(0) // disk, internal and external attributes
        .putInt((int) (bigOffset ? MAX_32 : e.offset)).put(name);
    if (extra > 0) {
      h.putShort((short) ZIP64_TAG).putShort((short) zip64Data);
      if (bigSize) h.putLong(e.size).putLong(e.size);
      if (bigOffset) h.putLong(e.offset);
    }
    return h.array();
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
