package io.anytext2.exporter.ckpt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes PyTorch zip checkpoints in the official layout, {@code torch.save({'state_dict':
 * OrderedDict(...)})} (MODEL.md §4.1): entries {@code archive/data.pkl} (pickle protocol 2, see
 * {@link StateDictPickler}), {@code archive/byteorder} ("little"), one STORED entry {@code
 * archive/data/<i>} per tensor with its data 64-byte aligned, and {@code archive/version} ("3").
 * Files past 4 GB get ZIP64 records. {@link TorchZipCheckpoint} and {@code torch.load(...,
 * weights_only=True)} read the result.
 *
 * <p>Tensors are streamed one at a time in list order, so memory use does not grow with the model.
 * The file appears atomically: it is written to a temporary file next to the target, flushed, and
 * renamed over the target; on failure the target is untouched and the temporary file removed.
 */
public final class TorchZipWriter {
  /** Name of the archive's top folder (torch before 1.13 always used this one). */
  public static final String ARCHIVE = "archive";

  private TorchZipWriter() {}

  /**
   * Writes {@code tensors} (unique keys) with their data from {@code data}. Data of the wrong
   * length fail with {@link IllegalArgumentException} naming the key.
   */
  public static void write(Path file, List<TensorInfo> tensors, TensorData data) throws IOException {
    write(file, tensors, data, false);
  }

  /** As {@link #write(Path, List, TensorData)}; {@code forceZip64} writes ZIP64 records even for small files. */
  static void write(Path file, List<TensorInfo> tensors, TensorData data, boolean forceZip64) throws IOException {
    Set<String> seen = new HashSet<>();
    for (TensorInfo info : tensors) {
      if (!seen.add(info.key())) throw new IllegalArgumentException("expected unique tensor keys, found " + info.key() + " twice");
    }
    byte[] pickle = StateDictPickler.pickle(tensors);
    Path target = file.toAbsolutePath();
    // createFile, not createTempFile: the finished file gets the default permissions, not owner-only ones
    Path temp = Files.createFile(target.resolveSibling(
        "." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp"));
    boolean done = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        AlignedZipWriter zip = new AlignedZipWriter(channel, forceZip64);
        zip.entry(ARCHIVE + "/data.pkl", pickle);
        zip.entry(ARCHIVE + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < tensors.size(); i++) {
          TensorInfo info = tensors.get(i);
          OutputStream entry = zip.begin(ARCHIVE + "/data/" + i, info.byteSize());
          CountedTensorStream counted = new CountedTensorStream(entry, info);
          data.write(info, counted);
          zip.end(counted.finish());
        }
        zip.entry(ARCHIVE + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) Files.deleteIfExists(temp);
    }
  }
}
