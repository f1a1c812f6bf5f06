package io.anytext2.exporter.ckpt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON {@code {key: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
 * {string: string}}}, then the tensor data, offsets relative to its start. The file is memory-mapped
 * in windows, so files over 2 GB work; the whole header is validated when the file is opened.
 */
public final class SafetensorsFile extends AbstractCheckpoint {
  /** The format's own bound on the header (the reference implementation refuses larger ones). */
  static final long MAX_HEADER_BYTES = 100_000_000;

  static final String METADATA_KEY = "__metadata__";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final MappedWindows data;
  private final long dataStart;
  private final Map<String, Long> offsets = new LinkedHashMap<>();
  private final Map<String, String> metadata;

  private SafetensorsFile(Path file, long window) throws IOException {
    super(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw invalid("file has " + fileSize + " bytes, too short for the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
        throw invalid("header length " + Long.toUnsignedString(headerLength) + " does not fit a file of " + fileSize
            + " bytes (expected 2.." + Math.min(MAX_HEADER_BYTES, fileSize - 8) + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8);
      dataStart = 8 + headerLength;
      metadata = parseHeader(header.array(), fileSize - dataStart);
      data = new MappedWindows(channel, window);
    }
  }

  /** Opens and validates {@code file}; the tensors are read on demand. */
  public static SafetensorsFile open(Path file) {
    return open(file, MappedWindows.DEFAULT_WINDOW);
  }

  /** As {@link #open(Path)}, with a chosen map window size (tests use tiny windows to cross them). */
  static SafetensorsFile open(Path file, long window) {
    try {
      return new SafetensorsFile(file, window);
    } catch (IOException e) {
      throw new CheckpointException("cannot read safetensors file " + file + ": " + e, e);
    }
  }

  /** The header's {@code __metadata__} entries (empty when absent), in file order. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Absolute file position of the first byte of {@code key}'s data. */
  public long dataPosition(String key) {
    info(key);
    return dataStart + offsets.get(key);
  }

  @Override
  protected InputStream openData(TensorInfo info) {
    return data.stream(dataStart + offsets.get(info.key()), info.byteSize());
  }

  private record Extent(String key, long begin, long end) {}

  private Map<String, String> parseHeader(byte[] header, long dataSize) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (JsonProcessingException e) {
      throw invalid("header is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("header cannot be parsed: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("header must be a JSON object");
    }
    Map<String, String> meta = new LinkedHashMap<>();
    List<Extent> extents = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode node = field.getValue();
      if (key.equals(METADATA_KEY)) {
        parseMetadata(node, meta);
        continue;
      }
      TensorInfo info = parseTensor(key, node);
      long begin = node.get("data_offsets").get(0).asLong();
      long end = node.get("data_offsets").get(1).asLong();
      if (end > dataSize) {
        throw invalid("tensor " + key + " data_offsets [" + begin + ", " + end + "] run past the end of the data ("
            + dataSize + " bytes); the file is truncated or corrupt");
      }
      if (end - begin != info.byteSize()) {
        throw invalid("tensor " + key + " has " + (end - begin) + " data bytes, expected " + info.byteSize()
            + " = " + info.numel() + " elements x " + info.dtype().byteSize() + " bytes (" + info + ")");
      }
      index(info);
      offsets.put(key, begin);
      extents.add(new Extent(key, begin, end));
    }
    extents.sort(Comparator.comparingLong(Extent::begin).thenComparingLong(Extent::end));
    Extent furthest = null; // the non-empty extent reaching furthest so far
    for (Extent e : extents) {
      if (e.end() == e.begin()) {
        continue;
      }
      if (furthest != null && e.begin() < furthest.end()) {
        throw invalid("tensors " + furthest.key() + " and " + e.key() + " overlap in the data section");
      }
      if (furthest == null || e.end() > furthest.end()) {
        furthest = e;
      }
    }
    return Collections.unmodifiableMap(meta);
  }

  private void parseMetadata(JsonNode node, Map<String, String> meta) {
    if (!node.isObject()) {
      throw invalid(METADATA_KEY + " must be an object of strings, found " + node.getNodeType());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw invalid(METADATA_KEY + "." + e.getKey() + " must be a string, found " + e.getValue().getNodeType());
      }
      meta.put(e.getKey(), e.getValue().textValue());
    }
  }

  private TensorInfo parseTensor(String key, JsonNode node) {
    if (!node.isObject()) {
      throw invalid("tensor " + key + ": expected an object {dtype, shape, data_offsets}, found " + node.getNodeType());
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw invalid("tensor " + key + ": missing string field dtype");
    }
    DType dtype = DType.fromSafetensorsName(dtypeNode.textValue())
        .orElseThrow(() -> invalid("tensor " + key + " has dtype " + dtypeNode.textValue()
            + ", expected one of " + Arrays.toString(Arrays.stream(DType.values()).map(DType::safetensorsName).toArray())));
    long[] shape = nonNegativeIntegers(key, "shape", node.get("shape"), -1);
    long[] range = nonNegativeIntegers(key, "data_offsets", node.get("data_offsets"), 2);
    if (range[1] < range[0]) {
      throw invalid("tensor " + key + " has data_offsets [" + range[0] + ", " + range[1] + "], end before begin");
    }
    try {
      return new TensorInfo(key, dtype, shape);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private long[] nonNegativeIntegers(String key, String field, JsonNode node, int expectedLength) {
    if (node == null || !node.isArray() || (expectedLength >= 0 && node.size() != expectedLength)) {
      throw invalid("tensor " + key + ": expected " + field + " to be an array"
          + (expectedLength >= 0 ? " of " + expectedLength + " integers" : " of integers") + ", found " + node);
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw invalid("tensor " + key + ": expected " + field + " to hold non-negative integers, found " + node);
      }
      values[i] = v.asLong();
    }
    return values;
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
    while (dst.hasRemaining()) {
      if (channel.read(dst, position + dst.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private CheckpointException invalid(String detail) {
    return new CheckpointException("invalid safetensors file " + file + ": " + detail);
  }
}
