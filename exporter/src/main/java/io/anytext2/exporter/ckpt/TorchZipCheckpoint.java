package io.anytext2.exporter.ckpt;

import io.anytext2.exporter.ckpt.PickledObjects.StorageRef;
import io.anytext2.exporter.ckpt.PickledObjects.TensorRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch zip checkpoint ({@code .ckpt}, {@code .pth}; {@code torch.save} since torch 1.6): entries
 * {@code <archive>/data.pkl} (the pickled object), {@code <archive>/data/<key>} (raw storages),
 * {@code <archive>/byteorder}, {@code <archive>/version}. The pickle is read by {@link
 * TorchUnpickler}, which executes nothing from the file. Storages stay in the zip until a tensor is
 * read, so memory use is about the largest tensor. ZIP64 archives (over 4 GB) are handled by {@link
 * ZipFile}.
 *
 * <p>The tensors listed are the entries of the top-level {@code state_dict} when there is one (the
 * PyTorch Lightning layout, MODEL.md §4.1), else of the top-level dict; other values (step
 * counters, hyper-parameters) are ignored.
 */
public final class TorchZipCheckpoint extends AbstractCheckpoint {
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final ZipFile zip;
  private final String archive;
  private final ByteOrder byteOrder;
  private final boolean wrapped;
  private final Map<String, TensorRef> tensors = new HashMap<>();

  private TorchZipCheckpoint(Path file, ZipFile zip) throws IOException {
    super(file);
    this.zip = zip;
    this.archive = findArchivePrefix();
    this.byteOrder = readByteOrder();
    Object root = new TorchUnpickler(file.toString()).unpickle(readPickle());
    if (!(root instanceof Map<?, ?> top)) {
      throw new CheckpointException("checkpoint " + file + ": expected a dict at the top level, found "
          + TorchUnpickler.describe(root));
    }
    wrapped = top.get("state_dict") instanceof Map<?, ?>;
    Map<?, ?> dict = wrapped ? (Map<?, ?>) top.get("state_dict") : top;
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      if (e.getKey() instanceof String key && e.getValue() instanceof TensorRef t) {
        validate(key, t);
        index(new TensorInfo(key, t.storage().dtype(), t.shape()));
        tensors.put(key, t);
      }
    }
  }

  /** Opens {@code file}, reads and checks its pickle; tensors are read on demand. */
  public static TorchZipCheckpoint open(Path file) {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new CheckpointException("cannot read checkpoint " + file + " as a zip archive (" + e.getMessage()
          + "); the file is truncated or corrupt", e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint " + file + ": " + e, e);
    }
    try {
      return new TorchZipCheckpoint(file, zip);
    } catch (IOException | RuntimeException e) {
      closeQuietly(zip, e);
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException("cannot read checkpoint " + file + ": " + e, e);
    }
  }

  /** True when the tensors came from a top-level {@code state_dict} entry rather than the top-level dict. */
  public boolean isWrappedInStateDict() {
    return wrapped;
  }

  @Override
  protected ByteOrder byteOrder() {
    return byteOrder;
  }

  @Override
  protected InputStream openData(TensorInfo info) throws IOException {
    TensorRef t = tensors.get(info.key());
    int elementSize = t.storage().dtype().byteSize();
    InputStream in = zip.getInputStream(storageEntry(t.storage()));
    boolean handedOver = false;
    try {
      in.skipNBytes(t.offset() * elementSize);
      if (t.isContiguous()) {
        handedOver = true;
        return in; // the caller reads exactly numel elements and closes it
      }
      long span = t.lastIndex() - t.offset() + 1;
      if (span * elementSize > MAX_ARRAY) {
        throw new CheckpointException("tensor " + info.key() + " in " + file + " is a strided view over "
            + span * elementSize + " bytes, more than this reader gathers");
      }
      byte[] window = in.readNBytes((int) (span * elementSize));
      if (window.length != span * elementSize) {
        throw new IOException("storage " + t.storage().key() + " ends early");
      }
      return new ByteArrayInputStream(gather(t, window, elementSize));
    } finally {
      if (!handedOver) {
        in.close();
      }
    }
  }

  /** Copies a strided view into row-major order; {@code window} starts at the view's offset. */
  private static byte[] gather(TensorRef t, byte[] window, int elementSize) {
    long[] shape = t.shape();
    long[] stride = t.stride();
    int rank = shape.length;
    byte[] out = new byte[Math.toIntExact(t.numel() * elementSize)];
    if (out.length == 0) {
      return out;
    }
    // innermost dimension copied as one run when its stride is 1
    int inner = rank == 0 ? 1 : (int) shape[rank - 1];
    long innerStride = rank == 0 ? 1 : stride[rank - 1];
    long[] index = new long[Math.max(rank - 1, 0)];
    int pos = 0;
    while (true) {
      long base = 0;
      for (int i = 0; i < index.length; i++) {
        base += index[i] * stride[i];
      }
      if (innerStride == 1) {
        System.arraycopy(window, (int) (base * elementSize), out, pos, inner * elementSize);
        pos += inner * elementSize;
      } else {
        for (int j = 0; j < inner; j++) {
          System.arraycopy(window, (int) ((base + j * innerStride) * elementSize), out, pos, elementSize);
          pos += elementSize;
        }
      }
      int d = index.length - 1; // odometer over the outer dimensions
      while (d >= 0 && ++index[d] == shape[d]) {
        index[d--] = 0;
      }
      if (d < 0) {
        return out;
      }
    }
  }

  @Override
  public void close() {
    super.close();
    try {
      zip.close();
    } catch (IOException e) {
      throw new CheckpointException("cannot close checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private void validate(String key, TensorRef t) {
    StorageRef s = t.storage();
    ZipEntry entry = zip.getEntry(archive + "data/" + s.key());
    if (entry == null) {
      throw new CheckpointException("checkpoint " + file + ": tensor " + key + " uses storage " + s.key()
          + ", but the archive has no entry " + archive + "data/" + s.key());
    }
    long storageBytes = Math.multiplyExact(s.numel(), (long) s.dtype().byteSize());
    if (entry.getSize() >= 0 && entry.getSize() < storageBytes) {
      throw new CheckpointException("checkpoint " + file + ": storage " + s.key() + " of tensor " + key + " has "
          + entry.getSize() + " bytes, expected " + storageBytes + " (" + s.numel() + " x " + s.dtype() + ")");
    }
    long last;
    try {
      last = t.lastIndex();
      t.numel();
    } catch (ArithmeticException e) {
      throw new CheckpointException("checkpoint " + file + ": tensor " + key + " has an overflowing shape: " + t);
    }
    if (t.offset() < 0 || last >= s.numel()) {
      throw new CheckpointException("checkpoint " + file + ": tensor " + key + " reaches element " + last
          + " of storage " + s.key() + ", which has " + s.numel() + " elements (" + t + ")");
    }
  }

  private ZipEntry storageEntry(StorageRef s) {
    return zip.getEntry(archive + "data/" + s.key());
  }

  /** The directory holding data.pkl: torch names it after the file stem ("archive" in older versions). */
  private String findArchivePrefix() {
    List<String> prefixes = new ArrayList<>();
    boolean torchScript = false;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      String name = en.nextElement().getName();
      int slash = name.indexOf('/');
      if (slash > 0 && name.indexOf('/', slash + 1) < 0) {
        String rest = name.substring(slash + 1);
        if (rest.equals("data.pkl")) {
          prefixes.add(name.substring(0, slash + 1));
        } else if (rest.equals("constants.pkl")) {
          torchScript = true;
        }
      }
    }
    if (torchScript) {
      throw new CheckpointException("checkpoint " + file + " is a TorchScript archive (torch.jit.save), "
          + "not a torch.save state dict");
    }
    if (prefixes.size() != 1) {
      throw new CheckpointException("checkpoint " + file + " is a zip archive but not a torch.save checkpoint: "
          + (prefixes.isEmpty() ? "no <archive>/data.pkl entry" : "several data.pkl entries " + prefixes));
    }
    return prefixes.get(0);
  }

  /** data.pkl holds only structure (the tensor data is in other entries), so it is read whole. */
  private byte[] readPickle() throws IOException {
    ZipEntry entry = zip.getEntry(archive + "data.pkl");
    if (entry.getSize() > MAX_ARRAY) {
      throw new CheckpointException("checkpoint " + file + ": data.pkl has " + entry.getSize()
          + " bytes, more than a state dict's structure needs");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private ByteOrder readByteOrder() throws IOException {
    ZipEntry entry = zip.getEntry(archive + "byteorder");
    if (entry == null) {
      return ByteOrder.LITTLE_ENDIAN; // older torch wrote no byteorder record; its data is little-endian
    }
    try (InputStream in = zip.getInputStream(entry)) {
      String order = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
      return switch (order) {
        case "little" -> ByteOrder.LITTLE_ENDIAN;
        case "big" -> ByteOrder.BIG_ENDIAN;
        default -> throw new CheckpointException(
            "checkpoint " + file + ": byteorder record says '" + order + "', expected 'little' or 'big'");
      };
    }
  }

  private static void closeQuietly(ZipFile zip, Exception primary) {
    try {
      zip.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
