package io.anytext2.trainer.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where training runs: {@code auto} (the first GPU DJL's engine reports, else the CPU), {@code cpu},
 * {@code cuda} / {@code cuda:N} ({@code gpu}, {@code gpu:N} alike). Parsed from the {@code --device}
 * option or the config's {@code train.device}; {@link #resolve} turns it into a DJL {@link Device}
 * against what the engine actually sees, failing with one clear line when a GPU is asked for and
 * there is none.
 *
 * @param kind auto, cpu or gpu
 * @param index the GPU's index (kind gpu), else -1
 * @param origin where the value came from ("--device", "train.device"), for messages
 * @param given the value as it was written, for messages
 */
public record DeviceChoice(Kind kind, int index, String origin, String given) {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);
  private static final String EXPECTED = "expected auto, cpu, cuda or cuda:N (also gpu, gpu:N)";

  /** What was asked for. */
  public enum Kind {
    AUTO,
    CPU,
    GPU
  }

  public DeviceChoice {
    if (kind == Kind.GPU && index < 0) throw new IllegalArgumentException("GPU index must be >= 0, found " + index);
    if (kind != Kind.GPU) index = -1;
  }

  /** The default: the first GPU when there is one, else the CPU. */
  public static DeviceChoice auto(String origin) {
    return new DeviceChoice(Kind.AUTO, -1, origin, "auto");
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N}, {@code gpu}, {@code gpu:N}
   * (case and surrounding blanks ignored).
   *
   * @param origin the option or key the text came from, named in error messages
   */
  public static DeviceChoice parse(String text, String origin) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException(origin + ": " + EXPECTED + ", found nothing");
    String t = text.trim().toLowerCase(Locale.ROOT);
    String given = text.trim();
    if (t.equals("auto")) return new DeviceChoice(Kind.AUTO, -1, origin, given);
    if (t.equals("cpu")) return new DeviceChoice(Kind.CPU, -1, origin, given);
    if (t.equals("cuda") || t.equals("gpu")) return new DeviceChoice(Kind.GPU, 0, origin, given);
    int colon = t.indexOf(':');
    String head = colon < 0 ? t : t.substring(0, colon);
    if (colon > 0 && (head.equals("cuda") || head.equals("gpu"))) {
      String number = t.substring(colon + 1);
      if (!number.isEmpty() && number.chars().allMatch(Character::isDigit) && number.length() <= 4) {
        return new DeviceChoice(Kind.GPU, Integer.parseInt(number), origin, given);
      }
    }
    throw new IllegalArgumentException(origin + ": " + EXPECTED + ", found '" + given + "'");
  }

  /**
   * The device to train on, given what {@code engine} sees.
   *
   * @throws IllegalArgumentException when a GPU is requested that the engine does not see
   */
  public Device resolve(EngineInfo engine) {
    switch (kind) {
      case CPU:
        return Device.cpu();
      case AUTO:
        return engine.gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
      default:
        if (engine.gpuCount() == 0) {
          throw new IllegalArgumentException(origin + " " + given + ": DJL's PyTorch engine sees no GPU (" + engine.describe()
              + "); see README 'Training on a GPU'");
        }
        if (index >= engine.gpuCount()) {
          throw new IllegalArgumentException(origin + " " + given + ": DJL's PyTorch engine sees " + engine.gpuCount() + " GPU"
              + (engine.gpuCount() == 1 ? " (cuda:0)" : "s (cuda:0 to cuda:" + (engine.gpuCount() - 1) + ")") + ", " + engine.describe());
        }
        return Device.gpu(index);
    }
  }

  /** The canonical spelling: auto, cpu or cuda:N. */
  @Override
  public String toString() {
    return kind == Kind.GPU ? "cuda:" + index : kind.name().toLowerCase(Locale.ROOT);
  }

  /** A DJL device in this option's spelling (cpu, cuda:N). */
  public static String label(Device device) {
    return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
  }

  /**
   * What DJL's engine reports: its libtorch version, whether that libtorch was built with CUDA
   * ("cuda") or not ("cpu"), where it was loaded from, and how many GPUs are usable.
   */
  public record EngineInfo(String engine, String version, String flavor, String library, int gpuCount) {
    private static EngineInfo current;

    /**
     * The default engine (PyTorch), loading its native library if that has not happened yet;
     * asked once per process (the engine and its GPUs do not change while it runs).
     */
    public static synchronized EngineInfo current() {
      if (current == null) current = ask();
      return current;
    }

    private static EngineInfo ask() {
      Engine e = Engine.getInstance();
      boolean cudaBuild = e.hasCapability("CUDA");
      int gpus = e.getGpuCount();
      if (cudaBuild && gpus == 0) gpus = probeGpus();
      return new EngineInfo(e.getEngineName(), e.getVersion(), cudaBuild ? "cuda" : "cpu", libraryPath(), gpus);
    }

    /**
     * DJL counts GPUs through a libcudart it looks up on its own, apart from libtorch; when that
     * count is 0 on a CUDA build of libtorch (no libcudart found, or another CUDA version's), count
     * the devices on which libtorch itself can allocate.
     */
    private static int probeGpus() {
      int n = 0;
      while (n < 64) {
        try (NDManager m = NDManager.newBaseManager(Device.gpu(n))) {
          m.zeros(new Shape(1)).close();
          n++;
        } catch (RuntimeException e) { // EngineException: no such device
          break;
        }
      }
      if (n > 0) LOG.warn("DJL's GPU count (through libcudart) is 0, but libtorch allocates on {} GPU(s); using them", n);
      return n;
    }

    private static String libraryPath() {
      try {
        return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
      } catch (RuntimeException | LinkageError e) {
        return null; // another engine, or an engine version without this accessor
      }
    }

    /** For messages: "libtorch 2.7.1 cpu, /root/.djl.ai/pytorch/…". */
    public String describe() {
      String lib = "PyTorch".equals(engine) ? "libtorch" : engine;
      return lib + " " + version + " " + flavor + (library == null ? "" : ", " + library);
    }
  }
}
