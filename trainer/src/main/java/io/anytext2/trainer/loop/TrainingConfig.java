package io.anytext2.trainer.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.anytext2.nn.config.OcrConfig;
import io.anytext2.trainer.djl.DeviceChoice;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.model.LossSettings;
import io.anytext2.trainer.model.TrainableSet;
import io.anytext2.trainer.model.TrainingStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training configuration file (YAML, sections {@code model}, {@code data}, {@code train},
 * {@code loss}, {@code log}, {@code checkpoint}; see trainer/configs/anytext2_recipe.yaml for every
 * key with the original's values). Relative paths are resolved against the file's folder. Unknown
 * keys are rejected, so a typo never silently falls back to a default.
 */
public record TrainingConfig(
    Path file,
    String text,
    Model model,
    Data data,
    Train train,
    LossSettings loss,
    Log log,
    Checkpoints checkpoint) {

  /**
   * @param config the model architecture YAML (original layout); null = the bundled SD1.5 one
   * @param init the initial AnyText2 checkpoint (TRAINING.md §4), "random" for seeded random
   *     weights (tiny smoke runs), or null (then --init is required)
   * @param ocrDictionary recognizer characters (needed for loss_beta > 0)
   * @param trainable the trained keys: {@code stage} (anytext2, vae, recognizer; see {@link TrainingStage})
   *     and the switches {@code sd_locked}, {@code unlock_qkv}, {@code from_scratch}
   * @param randomOcr the recognizer's size when {@code init} is "random" (otherwise the
   *     checkpoint's shapes decide): {@code ocr_conv1_channels} (16 official) and {@code ocr_classes}
   *     (6625 official; default: the dictionary's class count)
   */
  public record Model(Path config, String init, Path ocrDictionary, TrainableSet trainable, OcrConfig randomOcr) {}

  /**
   * @param json AnyWord-3M annotation files (TRAINING.md §1), in order
   * @param synthetic number of synthetic samples (used when no json is given)
   */
  public record Data(List<Path> json, double percent, int synthetic, String syntheticScripts, int size, double maskRatio,
      double fontHintProb, double colorProb, int workers, int prefetch, double captionDropout) {}

  /**
   * @param device where to train ({@code auto}, {@code cpu}, {@code cuda}, {@code cuda:N}); the
   *     {@code --device} option overrides it
   */
  public record Train(long seed, int batchSize, int accumulate, int epochs, AdamW.Settings optimizer, DeviceChoice device) {}

  /**
   * @param imageEvery image log when the per-epoch micro-batch index is a multiple of this (0: never)
   * @param imageSteps DDIM steps of the logged samples
   * @param imageCfg guidance scale of the logged samples
   */
  public record Log(int imageEvery, int imageSteps, float imageCfg) {}

  /**
   * @param topK epoch checkpoints kept (by global step, newest first)
   * @param everySteps also write {@code last} every this many optimizer steps (0: only at epoch ends)
   */
  public record Checkpoints(int topK, int everySteps) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static TrainingConfig read(Path file) {
    String text;
    Map<String, Object> root;
    try {
      text = Files.readString(file);
      Object tree = YAML.readValue(text, Object.class);
      if (!(tree instanceof Map)) throw new IllegalArgumentException("training config " + file + ": expected a YAML mapping");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) tree;
      root = m;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read training config " + file + ": " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    Section r = new Section("", root, Set.of("model", "data", "train", "loss", "log", "checkpoint"));
    Section m = r.section("model", Set.of("config", "init", "ocr_dictionary", "sd_locked", "unlock_qkv", "ocr_conv1_channels",
        "ocr_classes", "stage", "from_scratch"));
    Section d = r.section("data", Set.of("json", "percent", "synthetic", "synthetic_scripts", "size", "mask_ratio", "font_hint_prob", "color_prob",
        "workers", "prefetch", "caption_dropout"));
    Section t = r.section("train", Set.of("seed", "batch_size", "accumulate_grad_batches", "epochs", "learning_rate", "beta1",
        "beta2", "eps", "weight_decay", "device"));
    Section l = r.section("loss", Set.of("loss_alpha", "loss_beta", "latin_weight", "with_step_weight", "kl_weight", "crop_margin",
        "text_region_weight"));
    Section g = r.section("log", Set.of("image_every", "image_steps", "image_cfg"));
    Section c = r.section("checkpoint", Set.of("top_k", "every_steps"));

    Path dictionary = m.path("ocr_dictionary", dir);
    int classes = m.integer("ocr_classes", dictionary != null && Files.isRegularFile(dictionary)
        ? OcrDictionary.read(dictionary).classes() : OcrConfig.official().numClasses());
    TrainingStage stage = TrainingStage.parse(m.string("stage", "anytext2"));
    Model model = new Model(m.path("config", dir), m.string("init", null), dictionary,
        new TrainableSet(m.bool("sd_locked", true), m.bool("unlock_qkv", false), m.bool("from_scratch", false), stage),
        OcrConfig.fromShapes(m.integer("ocr_conv1_channels", OcrConfig.official().firstConvChannels()), classes));
    List<Path> json = new ArrayList<>();
    for (String p : d.strings("json")) json.add(dir.resolve(p).normalize());
    Data data = new Data(json, d.number("percent", 1.0), d.integer("synthetic", 0), d.string("synthetic_scripts", "latin"),
        d.integer("size", 512),
        d.number("mask_ratio", 0.0), d.number("font_hint_prob", 0.8), d.number("color_prob", 1.0), d.integer("workers", 2),
        d.integer("prefetch", 2), d.number("caption_dropout", 0.0));
    if (json.isEmpty() && data.synthetic() <= 0) {
      throw new IllegalArgumentException("training config " + file + ": data needs json files or a synthetic sample count");
    }
    if (data.size() % 64 != 0) throw new IllegalArgumentException("data.size must be a multiple of 64, found " + data.size());
    Train train = new Train(t.integer("seed", 0), positive(t, "batch_size", 3), positive(t, "accumulate_grad_batches", 2),
        positive(t, "epochs", 15), new AdamW.Settings((float) t.number("learning_rate", 2e-5), (float) t.number("beta1", 0.9),
            (float) t.number("beta2", 0.999), (float) t.number("eps", 1e-8), (float) t.number("weight_decay", 0.01)),
        device(t.string("device", "auto")));
    LossSettings loss = new LossSettings((float) l.number("loss_alpha", 0), (float) l.number("loss_beta", 0),
        (float) l.number("latin_weight", 1), l.bool("with_step_weight", true), stage, (float) l.number("kl_weight", 1e-6),
        l.integer("crop_margin", 0), (float) l.number("text_region_weight", 1));
    Log log = new Log(g.integer("image_every", 1000), positive(g, "image_steps", 50), (float) g.number("image_cfg", 9.0));
    try {
      io.anytext2.sdk.sched.DdimScheduler.sd15(log.imageSteps(), 0); // the sampler's own check of the step count
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("training config: log.image_steps: " + e.getMessage(), e);
    }
    Checkpoints ck = new Checkpoints(c.integer("top_k", 3), c.integer("every_steps", 0));
    return new TrainingConfig(file, text, model, data, train, loss, log, ck);
  }

  private static DeviceChoice device(String text) {
    try {
      return DeviceChoice.parse(text, "train.device");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("training config: " + e.getMessage(), e);
    }
  }

  private static int positive(Section s, String key, int dflt) {
    int v = s.integer(key, dflt);
    if (v < 1) throw new IllegalArgumentException("training config: " + s.name + "." + key + " must be >= 1, found " + v);
    return v;
  }

  /** Typed reads of one mapping, naming the key in every error. */
  private record Section(String name, Map<String, Object> values, Set<String> known) {
    Section {
      for (String k : values.keySet()) {
        if (!known.contains(k)) {
          throw new IllegalArgumentException("training config: unknown key '" + (name.isEmpty() ? "" : name + ".") + k + "' (expected one of "
              + known.stream().sorted().toList() + ")");
        }
      }
    }

    @SuppressWarnings("unchecked")
    Section section(String key, Set<String> keys) {
      Object v = values.get(key);
      if (v == null) return new Section(key, Map.of(), keys);
      if (!(v instanceof Map)) throw new IllegalArgumentException("training config: '" + key + "' must be a mapping, found " + v);
      return new Section(key, (Map<String, Object>) v, keys);
    }

    double number(String key, double dflt) {
      Object v = values.get(key);
      if (v == null) return dflt;
      if (v instanceof Number n) return n.doubleValue();
      try {
        return Double.parseDouble(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("training config: " + name + "." + key + " must be a number, found '" + v + "'");
      }
    }

    int integer(String key, long dflt) {
      double d = number(key, dflt);
      if (d != Math.rint(d)) throw new IllegalArgumentException("training config: " + name + "." + key + " must be an integer, found " + d);
      return (int) d;
    }

    boolean bool(String key, boolean dflt) {
      Object v = values.get(key);
      if (v == null) return dflt;
      if (v instanceof Boolean b) return b;
      throw new IllegalArgumentException("training config: " + name + "." + key + " must be true or false, found " + v);
    }

    String string(String key, String dflt) {
      Object v = values.get(key);
      return v == null ? dflt : v.toString();
    }

    Path path(String key, Path dir) {
      String s = string(key, null);
      return s == null ? null : dir.resolve(s).normalize();
    }

    List<String> strings(String key) {
      Object v = values.get(key);
      if (v == null) return List.of();
      if (v instanceof List<?> list) return list.stream().map(Object::toString).toList();
      return List.of(v.toString());
    }
  }
}
