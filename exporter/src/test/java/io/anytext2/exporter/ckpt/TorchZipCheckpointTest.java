package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Well-formed checkpoints written opcode by opcode: views, dtypes, byte order, Lightning layout. */
class TorchZipCheckpointTest {
  @TempDir Path tmp;

  /** Storage "0": the floats 0, 1, ..., 11. */
  private static byte[] iota12(ByteOrder order) {
    ByteBuffer b = ByteBuffer.allocate(48).order(order);
    for (int i = 0; i < 12; i++) {
      b.putFloat(i);
    }
    return b.array();
  }

  /** A flat OrderedDict of views over one 12-float storage. */
  private static byte[] viewsPickle() {
    PickleBuilder p = new PickleBuilder().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
    p.text("transposed").tensorV2("FloatStorage", "0", 12, 0, new long[] {3, 2}, new long[] {1, 3});
    p.text("every_other").tensorV2("FloatStorage", "0", 12, 1, new long[] {2, 2}, new long[] {6, 2});
    p.text("slice").tensorV2("FloatStorage", "0", 12, 6, new long[] {4}, new long[] {1});
    p.text("broadcast").tensorV2("FloatStorage", "0", 12, 0, new long[] {2, 3}, new long[] {0, 1});
    p.text("scalar").tensorV2("FloatStorage", "0", 12, 11, new long[] {}, new long[] {});
    p.text("unit_dims").tensorV2("FloatStorage", "0", 12, 4, new long[] {1, 2, 1}, new long[] {99, 1, 7});
    p.text("empty").tensorV2("FloatStorage", "0", 12, 12, new long[] {0, 4}, new long[] {4, 1});
    return p.setItems().stop().bytes();
  }

  @Test
  void readsStridedViewsInRowMajorOrder() throws IOException {
    Path file = PickleBuilder.torchZip(tmp.resolve("views.pth"), viewsPickle(),
        Map.of("0", iota12(ByteOrder.LITTLE_ENDIAN)), "little");
    try (Checkpoint ckpt = Checkpoints.open(file)) {
      assertTrue(ckpt instanceof TorchZipCheckpoint);
      assertEquals(List.of("transposed", "every_other", "slice", "broadcast", "scalar", "unit_dims", "empty"),
          ckpt.keys());
      assertArrayEquals(new long[] {3, 2}, ckpt.info("transposed").shape());
      assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, ckpt.readFloats("transposed"));
      assertArrayEquals(new float[] {1, 3, 7, 9}, ckpt.readFloats("every_other"));
      assertArrayEquals(new float[] {6, 7, 8, 9}, ckpt.readFloats("slice"));
      assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, ckpt.readFloats("broadcast"));
      assertArrayEquals(new float[] {11}, ckpt.readFloats("scalar"));
      assertEquals(0, ckpt.info("scalar").rank());
      assertArrayEquals(new float[] {4, 5}, ckpt.readFloats("unit_dims"));
      assertEquals(0, ckpt.readFloats("empty").length);
      assertArrayEquals(TensorCodec.encodeFloats(new float[] {0, 3, 1, 4, 2, 5}, DType.F32),
          ckpt.readBytes("transposed"));
      assertArrayEquals(new double[] {1, 3, 7, 9}, ckpt.readDoubles("every_other"));
    }
  }

  @Test
  void bigEndianStoragesAreSwapped() throws IOException {
    Path file = PickleBuilder.torchZip(tmp.resolve("big.pth"), viewsPickle(),
        Map.of("0", iota12(ByteOrder.BIG_ENDIAN)), "big");
    try (Checkpoint ckpt = Checkpoints.open(file)) {
      assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, ckpt.readFloats("transposed"));
      assertArrayEquals(new float[] {6, 7, 8, 9}, ckpt.readFloats("slice"));
      // readBytes is little-endian whatever the file's order
      assertArrayEquals(TensorCodec.encodeFloats(new float[] {6, 7, 8, 9}, DType.F32), ckpt.readBytes("slice"));
    }
  }

  @Test
  void lightningLayoutListsOnlyTheStateDict() throws IOException {
    float[] halfValues = {1f, -0.5f, 0.1f};
    PickleBuilder p = new PickleBuilder().proto(2).emptyDict().mark();
    p.text("epoch").integer(3);
    p.text("global_step").integer(1200);
    p.text("pytorch-lightning_version").text("1.5.0");
    // state_dict: OrderedDict with _metadata set by BUILD after its items, as torch writes it
    p.text("state_dict").global("collections", "OrderedDict").emptyTuple().reduce().mark();
    p.text("model.w").global("torch._utils", "_rebuild_parameter").mark()
        .tensorV2("HalfStorage", "h", 3, 0, new long[] {3}, new long[] {1})
        .newTrue().global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    p.text("model.bn.num_batches_tracked").tensorV2("LongStorage", "n", 1, 0, new long[] {}, new long[] {});
    p.text("model.b").tensorV2("BFloat16Storage", "b", 2, 0, new long[] {2}, new long[] {1});
    p.setItems();
    p.emptyDict().text("_metadata").global("collections", "OrderedDict").emptyTuple().reduce()
        .mark().text("").emptyDict().text("version").integer(1).op('s').setItems().op('s').build();
    // callbacks keyed by class (PL < 1.5), a numpy scalar best score, hyper-parameters in an AttributeDict
    p.text("callbacks").emptyDict()
        .global("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint").emptyDict()
        .text("best_model_score").global("numpy.core.multiarray", "scalar").mark()
        .global("numpy", "dtype").mark().text("f8").newFalse().newTrue().tuple().reduce()
        .mark().integer(3).text("<").op('N').op('N').op('N').integer(-1).integer(-1).integer(0).tuple().build()
        .global("_codecs", "encode").mark().text("\u0000\u0000\u0000\u0000\u0000\u0000\u00f0?").text("latin1").tuple()
        .reduce().tuple().reduce().op('s').op('s');
    p.text("hyper_parameters").global("pytorch_lightning.utilities.parsing", "AttributeDict").emptyTuple().reduce()
        .mark().text("lr").integer(1).text("tags").global("builtins", "set").mark().emptyList().mark().text("a")
        .appends().tuple().reduce().setItems();
    byte[] pickle = p.setItems().stop().bytes();

    Path file = PickleBuilder.torchZip(tmp.resolve("lightning.ckpt"), pickle, Map.of(
        "h", TensorCodec.encodeFloats(halfValues, DType.F16),
        "n", TensorCodec.encodeLongs(new long[] {1200}, DType.I64),
        "b", TensorCodec.encodeFloats(new float[] {2f, -3f}, DType.BF16)), "little");
    try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
      assertTrue(ckpt.isWrappedInStateDict());
      assertEquals(List.of("model.w", "model.bn.num_batches_tracked", "model.b"), ckpt.keys());
      assertEquals(DType.F16, ckpt.info("model.w").dtype());
      float[] w = ckpt.readFloats("model.w");
      for (int i = 0; i < 3; i++) {
        assertEquals(TensorCodec.halfToFloat(TensorCodec.floatToHalf(halfValues[i])), w[i]);
      }
      assertArrayEquals(new long[] {1200}, ckpt.readLongs("model.bn.num_batches_tracked"));
      assertArrayEquals(new float[] {2f, -3f}, ckpt.readFloats("model.b"));
      assertFalse(ckpt.contains("epoch"));
      assertThrows(IllegalArgumentException.class, () -> ckpt.info("epoch"));
    }
  }

  @Test
  void flatDictWithoutStateDictWrapper() throws IOException {
    byte[] pickle = new PickleBuilder().proto(2).emptyDict().mark()
        .text("b").tensorV2("IntStorage", "0", 2, 0, new long[] {2}, new long[] {1})
        .text("a").tensorV2("ByteStorage", "1", 3, 0, new long[] {3}, new long[] {1})
        .text("c").tensorV2("BoolStorage", "2", 2, 0, new long[] {2}, new long[] {1})
        .text("d").tensorV2("DoubleStorage", "3", 1, 0, new long[] {1}, new long[] {1})
        .setItems().stop().bytes();
    Path file = PickleBuilder.torchZip(tmp.resolve("flat.pt"), pickle, Map.of(
        "0", TensorCodec.encodeLongs(new long[] {-5, 70000}, DType.I32),
        "1", new byte[] {1, (byte) 200, 3},
        "2", new byte[] {0, 1},
        "3", TensorCodec.encodeDoubles(new double[] {Math.PI})), null);
    try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
      assertFalse(ckpt.isWrappedInStateDict());
      assertEquals(List.of("b", "a", "c", "d"), ckpt.keys());
      assertArrayEquals(new long[] {-5, 70000}, ckpt.readLongs("b"));
      assertArrayEquals(new long[] {1, 200, 3}, ckpt.readLongs("a"));
      assertArrayEquals(new float[] {0, 1}, ckpt.readFloats("c"));
      assertArrayEquals(new double[] {Math.PI}, ckpt.readDoubles("d"));
      assertArrayEquals(new float[] {(float) Math.PI}, ckpt.readFloats("d"));
    }
  }

  @Test
  void zipsThatAreNotTorchCheckpointsAreNamedAsSuch() throws IOException {
    Path plain = tmp.resolve("plain.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plain))) {
      zip.putNextEntry(new ZipEntry("readme.txt"));
      zip.write("hello".getBytes());
      zip.closeEntry();
    }
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(plain));
    assertTrue(e.getMessage().contains("not a torch.save checkpoint"), e.getMessage());
  }

  @Test
  void legacyAndUnknownFormatsAreRejectedByCheckpointsOpen() throws IOException {
    Path legacy = tmp.resolve("legacy.pt");
    // torch < 1.6 files begin with a pickled magic number: PROTO 2, LONG1 10 bytes ...
    Files.write(legacy, new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46});
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(legacy));
    assertTrue(e.getMessage().contains("legacy (non-zip) torch.save format is not supported; re-save with torch>=1.6"),
        e.getMessage());
    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "just some text, not weights");
    e = assertThrows(CheckpointException.class, () -> Checkpoints.open(text));
    assertTrue(e.getMessage().contains("neither a PyTorch zip checkpoint"), e.getMessage());
    assertThrows(CheckpointException.class, () -> Checkpoints.open(tmp.resolve("absent.ckpt")));
  }

  /** A safetensors header length of 128 mod 256 makes the file's first byte 0x80, like a legacy pickle's. */
  @Test
  void safetensorsStartingWithByte0x80IsNotMistakenForALegacyPickle() throws IOException {
    List<TensorInfo> infos = List.of(new TensorInfo("w", DType.F32, new long[] {2}));
    String pad = "";
    while (SafetensorsWriter.header(infos, Map.of("pad", pad)).length % 256 != 128) pad += "x";
    Path file = tmp.resolve("x80.safetensors");
    SafetensorsWriter.write(file, infos, info -> TensorCodec.encodeFloats(new float[] {1f, 2f}, DType.F32), Map.of("pad", pad));
    assertEquals(0x80, Files.readAllBytes(file)[0] & 0xff);
    try (Checkpoint ckpt = Checkpoints.open(file)) {
      assertArrayEquals(new float[] {1f, 2f}, ckpt.readFloats("w"));
    }
  }
}
