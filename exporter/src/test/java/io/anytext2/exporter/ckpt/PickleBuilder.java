package io.anytext2.exporter.ckpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes pickle opcodes by hand (no Python), and zips them in the torch.save layout, so tests can
 * build both well-formed and malicious checkpoints byte by byte.
 */
final class PickleBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PickleBuilder op(int opcode) {
    out.write(opcode);
    return this;
  }

  PickleBuilder proto(int version) {
    return op(0x80).op(version);
  }

  /** GLOBAL 'c': module and name as text lines. */
  PickleBuilder global(String module, String name) {
    op('c');
    raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Protocol 4: module and name strings on the stack, then STACK_GLOBAL (0x93). */
  PickleBuilder stackGlobal(String module, String name) {
    return text(module).text(name).op(0x93);
  }

  /** Protocol 0 INST 'i': instantiate module.name with the values since the last MARK. */
  PickleBuilder inst(String module, String name) {
    op('i');
    raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** BINUNICODE 'X'. */
  PickleBuilder text(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    raw(le(utf8.length));
    raw(utf8);
    return this;
  }

  /** BININT 'J' (4-byte signed). */
  PickleBuilder integer(int v) {
    op('J');
    raw(le(v));
    return this;
  }

  PickleBuilder mark() {
    return op('(');
  }

  PickleBuilder tuple() {
    return op('t');
  }

  PickleBuilder emptyTuple() {
    return op(')');
  }

  PickleBuilder emptyDict() {
    return op('}');
  }

  PickleBuilder emptyList() {
    return op(']');
  }

  PickleBuilder setItems() {
    return op('u');
  }

  PickleBuilder appends() {
    return op('e');
  }

  PickleBuilder reduce() {
    return op('R');
  }

  PickleBuilder build() {
    return op('b');
  }

  PickleBuilder newFalse() {
    return op(0x89);
  }

  PickleBuilder newTrue() {
    return op(0x88);
  }

  PickleBuilder stop() {
    return op('.');
  }

  /** A tuple of ints: MARK, BININT..., TUPLE. */
  PickleBuilder ints(long... values) {
    mark();
    for (long v : values) {
      integer(Math.toIntExact(v));
    }
    return tuple();
  }

  /** {@code torch.<storageClass>} storage persistent id, then BINPERSID. */
  PickleBuilder storage(String storageClass, String key, long numel) {
    return mark().text("storage").global("torch", storageClass).text(key).text("cpu").integer((int) numel).tuple()
        .op('Q');
  }

  /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} as torch writes it. */
  PickleBuilder tensorV2(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2").mark();
    storage(storageClass, key, numel).integer((int) offset).ints(size).ints(stride).newFalse();
    return global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void raw(byte[] b) {
    out.write(b, 0, b.length);
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  /** Writes a torch.save-style zip: archive/data.pkl, archive/byteorder, archive/data/<key>, archive/version. */
  static Path torchZip(Path file, byte[] pickle, Map<String, byte[]> storages, String byteorder) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      stored(zip, "archive/data.pkl", pickle);
      if (byteorder != null) {
        stored(zip, "archive/byteorder", byteorder.getBytes(StandardCharsets.US_ASCII));
      }
      for (Map.Entry<String, byte[]> e : storages.entrySet()) {
        stored(zip, "archive/data/" + e.getKey(), e.getValue());
      }
      stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  /** Writes one uncompressed (STORED) entry, as torch writes them. */
  static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
