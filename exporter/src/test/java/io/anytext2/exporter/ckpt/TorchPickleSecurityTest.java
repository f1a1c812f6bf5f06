package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malicious and broken checkpoints, written opcode by opcode. Each exploit would create a marker
 * file if anything from the pickle were executed; the reader must refuse it, name the global, and
 * leave the marker absent.
 */
class TorchPickleSecurityTest {
  @TempDir Path tmp;

  record Exploit(String name, String expectedGlobal, Function<Path, byte[]> pickle) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> exploits() {
    return Stream.of(
        new Exploit("GLOBAL os.system + REDUCE", "os.system", marker -> new PickleBuilder().proto(2)
            .global("os", "system").mark().text("touch " + marker).tuple().reduce().stop().bytes()),
        new Exploit("STACK_GLOBAL os.system (protocol 4)", "os.system", marker -> new PickleBuilder().proto(4)
            .stackGlobal("os", "system").mark().text("touch " + marker).tuple().reduce().stop().bytes()),
        new Exploit("builtins.eval", "builtins.eval", marker -> new PickleBuilder().proto(2)
            .global("builtins", "eval").mark().text("__import__('os').system('touch " + marker + "')").tuple()
            .reduce().stop().bytes()),
        new Exploit("subprocess.Popen via STACK_GLOBAL", "subprocess.Popen", marker -> new PickleBuilder().proto(4)
            .stackGlobal("subprocess", "Popen").mark().emptyList().mark().text("touch").text(marker.toString())
            .appends().tuple().reduce().stop().bytes()),
        new Exploit("INST os.system (protocol 0)", "os.system", marker -> new PickleBuilder()
            .mark().text("touch " + marker).inst("os", "system").stop().bytes()),
        new Exploit("posix.system hidden inside a valid state dict", "posix.system", marker -> new PickleBuilder()
            .proto(2).emptyDict().text("state_dict").global("collections", "OrderedDict").emptyTuple().reduce()
            .mark().text("w").tensorV2("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
            .text("evil").global("posix", "system").mark().text("touch " + marker).tuple().reduce()
            .setItems().op('s').stop().bytes()),
        new Exploit("razorvine's own copy_reg._reconstructor", "copy_reg._reconstructor", marker -> new PickleBuilder()
            .proto(2).global("copy_reg", "_reconstructor").mark().text("x").tuple().reduce().stop().bytes()),
        new Exploit("builtins.getattr", "builtins.getattr", marker -> new PickleBuilder().proto(2)
            .global("builtins", "getattr").mark().text("os").text("system").tuple().reduce().stop().bytes()))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exploits")
  void refusesToRunCode(Exploit exploit) throws IOException {
    Path marker = tmp.resolve("pwned-" + Math.abs(exploit.name().hashCode()));
    Path ckpt = PickleBuilder.torchZip(tmp.resolve("evil.ckpt"), exploit.pickle().apply(marker),
        Map.of("0", new byte[8]), "little");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(ckpt));
    assertEquals("checkpoint " + ckpt + " references " + exploit.expectedGlobal()
        + ", which is not allowed (only tensors and plain containers are read)", e.getMessage());
    assertFalse(Files.exists(marker), "the pickle ran code");
  }

  @Test
  void unsupportedStructureFailsAsMalformed() throws IOException {
    byte[] buildOnList = new PickleBuilder().proto(2).emptyList().emptyDict().build().stop().bytes();
    byte[] latin2 = new PickleBuilder().proto(2).global("_codecs", "encode").mark().text("x").text("cp1250").tuple()
        .reduce().stop().bytes();
    byte[] callStorageClass = new PickleBuilder().proto(2).global("torch", "FloatStorage").emptyTuple().reduce()
        .stop().bytes();
    byte[] badTensorArgs = new PickleBuilder().proto(2).global("torch._utils", "_rebuild_tensor_v2").mark()
        .text("not a storage").integer(0).ints(1).ints(1).tuple().reduce().stop().bytes();
    byte[] truncatedPickle = Arrays.copyOf(new PickleBuilder().proto(2).emptyDict().text("w")
        .tensorV2("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1}).op('s').stop().bytes(), 40);
    // BINBYTES8 claiming 2^40 bytes: refused before anything is allocated
    byte[] hugeLength = new PickleBuilder().proto(4).op(0x8e).op(0).op(0).op(0).op(0).op(0).op(1).op(0).op(0)
        .stop().bytes();
    for (byte[] pickle : new byte[][] {buildOnList, latin2, callStorageClass, badTensorArgs, truncatedPickle,
        hugeLength}) {
      Path ckpt = PickleBuilder.torchZip(Files.createTempFile(tmp, "bad", ".ckpt"), pickle,
          Map.of("0", new byte[8]), "little");
      CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(ckpt));
      assertTrue(e.getMessage().startsWith("checkpoint " + ckpt + ": data.pkl is malformed"), e.getMessage());
    }
  }

  @Test
  void topLevelMustBeADict() throws IOException {
    Path ckpt = PickleBuilder.torchZip(tmp.resolve("list.ckpt"),
        new PickleBuilder().proto(2).emptyList().stop().bytes(), Map.of(), "little");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(ckpt));
    assertTrue(e.getMessage().contains("expected a dict at the top level"), e.getMessage());
  }

  @Test
  void truncatedOrCorruptZipGivesOneClearError() throws IOException {
    byte[] real = Files.readAllBytes(ParityFixtures.tinyFile("model.ckpt"));
    Path cut = tmp.resolve("cut.ckpt");
    Files.write(cut, Arrays.copyOf(real, real.length / 2));
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(cut));
    assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated or corrupt"),
        e.getMessage());

    Path garbage = tmp.resolve("garbage.ckpt");
    byte[] noise = new byte[4096];
    new java.util.Random(1).nextBytes(noise);
    noise[0] = 'P';
    noise[1] = 'K';
    Files.write(garbage, noise);
    CheckpointException g = assertThrows(CheckpointException.class, () -> Checkpoints.open(garbage));
    assertTrue(g.getMessage().contains("truncated or corrupt"), g.getMessage());
  }

  @Test
  void storageDataThatDoesNotFitIsRejectedAtOpen() throws IOException {
    byte[] pickle = new PickleBuilder().proto(2).emptyDict().text("w")
        .tensorV2("FloatStorage", "0", 4, 2, new long[] {3}, new long[] {1}).op('s').stop().bytes();
    Path beyond = PickleBuilder.torchZip(tmp.resolve("beyond.ckpt"), pickle, Map.of("0", new byte[16]), "little");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(beyond));
    assertTrue(e.getMessage().contains("tensor w reaches element 4"), e.getMessage());

    Path shortEntry = PickleBuilder.torchZip(tmp.resolve("short.ckpt"), pickle, Map.of("0", new byte[10]), "little");
    e = assertThrows(CheckpointException.class, () -> Checkpoints.open(shortEntry));
    assertTrue(e.getMessage().contains("storage 0 of tensor w has 10 bytes, expected 16"), e.getMessage());

    Path missing = PickleBuilder.torchZip(tmp.resolve("missing.ckpt"), pickle, Map.of(), "little");
    e = assertThrows(CheckpointException.class, () -> Checkpoints.open(missing));
    assertTrue(e.getMessage().contains("tensor w uses storage 0, but the archive has no entry archive/data/0"),
        e.getMessage());
  }
}
