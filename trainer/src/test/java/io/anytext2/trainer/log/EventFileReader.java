package io.anytext2.trainer.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An independent reader of TFRecord event files for the tests: checks both CRCs of every record
 * and decodes the protobuf wire format generically, then maps the Event fields TensorBoard reads.
 */
final class EventFileReader {
  private EventFileReader() {}

  record Value(String tag, Float simpleValue, Image image) {}

  record Image(long height, long width, long colorspace, byte[] png) {}

  record Event(double wallTime, long step, String fileVersion, List<Value> values) {}

  static List<Event> read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    for (byte[] record : records(Files.readAllBytes(file))) {
      events.add(event(record));
    }
    return events;
  }

  /** Splits a TFRecord stream, failing on a bad length CRC, bad data CRC or truncation. */
  static List<byte[]> records(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> out = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 12) {
        throw new IllegalStateException("truncated record header at " + in.position());
      }
      int start = in.position();
      long length = in.getLong();
      int lengthCrc = in.getInt();
      if (lengthCrc != masked(file, start, 8)) {
        throw new IllegalStateException("bad length CRC at " + start);
      }
      if (in.remaining() < length + 4) {
        throw new IllegalStateException("truncated record data at " + start);
      }
      byte[] data = new byte[(int) length];
      int dataStart = in.position();
      in.get(data);
      if (in.getInt() != masked(file, dataStart, (int) length)) {
        throw new IllegalStateException("bad data CRC at " + dataStart);
      }
      out.add(data);
    }
    return out;
  }

  /** Masked CRC32C computed here from the definition, not through the writer's helper. */
  static int masked(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    long c = crc.getValue();
    long rotated = ((c >>> 15) | (c << 17)) & 0xFFFFFFFFL;
    return (int) ((rotated + 0xa282ead8L) & 0xFFFFFFFFL);
  }

  private static Event event(byte[] data) {
    Map<Integer, List<Object>> f = fields(data);
    double wall = Double.longBitsToDouble((Long) f.get(1).get(0));
    long step = f.containsKey(2) ? (Long) f.get(2).get(0) : 0;
    String version = f.containsKey(3) ? utf8(f.get(3).get(0)) : null;
    List<Value> values = new ArrayList<>();
    if (f.containsKey(5)) {
      for (Object v : fields((byte[]) f.get(5).get(0)).getOrDefault(1, List.of())) {
        Map<Integer, List<Object>> vf = fields((byte[]) v);
        Float simple = vf.containsKey(2) ? Float.intBitsToFloat((Integer) vf.get(2).get(0)) : null;
        Image image = null;
        if (vf.containsKey(4)) {
          Map<Integer, List<Object>> im = fields((byte[]) vf.get(4).get(0));
          image = new Image((Long) im.get(1).get(0), (Long) im.get(2).get(0), (Long) im.get(3).get(0),
              (byte[]) im.get(4).get(0));
        }
        values.add(new Value(utf8(vf.get(1).get(0)), simple, image));
      }
    }
    return new Event(wall, step, version, values);
  }

  private static String utf8(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  /** field number -> values: Long for varint and fixed64, Integer for fixed32, byte[] for length-delimited. */
  static Map<Integer, List<Object>> fields(byte[] message) {
    Map<Integer, List<Object>> out = new LinkedHashMap<>();
    ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      long key = varint(in);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      Object value;
      switch (wire) {
        case 0 -> value = varint(in);
        case 1 -> value = in.getLong();
        case 2 -> {
          byte[] b = new byte[(int) varint(in)];
          in.get(b);
          value = b;
        }
        case 5 -> value = in.getInt();
        default -> throw new IllegalStateException("unexpected wire type " + wire);
      }
      out.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static long varint(ByteBuffer in) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = in.get();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
  }
}
