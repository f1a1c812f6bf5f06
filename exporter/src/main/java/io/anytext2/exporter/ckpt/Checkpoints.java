package io.anytext2.exporter.ckpt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a checkpoint with the reader its first bytes call for. */
public final class Checkpoints {
  private Checkpoints() {}

  /**
   * Opens {@code file} as a PyTorch zip checkpoint (it starts with the zip signature "PK") or a
   * safetensors file (an 8-byte little-endian header length that fits the file, then '{').
   * Anything else fails with a {@link CheckpointException} saying what the file looks like.
   */
  public static Checkpoint open(Path file) {
    byte[] head;
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(9);
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("checkpoint file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint " + file + ": " + e, e);
    }
    if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
      return TorchZipCheckpoint.open(file);
    }
    // safetensors before legacy pickles: a header length of 128 mod 256 also starts with byte 0x80
    if (head.length == 9 && head[8] == '{') {
      long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength > 0 && headerLength <= size - 8) {
        return SafetensorsFile.open(file);
      }
    }
    if (head.length >= 1 && (head[0] & 0xff) == 0x80) { // pickle PROTO opcode: torch.save before 1.6
      throw new CheckpointException("checkpoint " + file
          + ": legacy (non-zip) torch.save format is not supported; re-save with torch>=1.6");
    }
    throw new CheckpointException("checkpoint " + file + " is neither a PyTorch zip checkpoint (.ckpt/.pth, "
        + "starting with \"PK\") nor a safetensors file (header length, then '{'); it has " + size + " bytes");
  }
}
