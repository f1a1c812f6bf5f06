package io.anytext2.eval;

import io.anytext2.eval.gen.GenerationProtocol;
import io.anytext2.eval.metrics.InceptionFeatures;
import io.anytext2.eval.ocr.RecognizerCrops;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything an evaluation run needs.
 *
 * @param mode generate from scratch, or edit the benchmark's own pictures
 * @param benchmarks JSON files or folders (see {@link io.anytext2.eval.bench.Benchmarks#resolve})
 * @param model the model package (generation, and the default OCR recognizer); may be null when
 *     only scoring with {@code ocrModel}
 * @param out output folder: {@code <benchmark>/images/}, predictions, report.json, report.md
 * @param limit only the first {@code limit} entries of each file (0 = all)
 * @param generate false to score the images already in {@code out} without generating
 * @param sourceImages edit: folder of the pictures to edit (default: each file's data_root)
 * @param font the face glyphs are drawn with (the original: Arial Unicode); null = bundled
 * @param ocrModel recognizer ONNX (default: the package's ocr_recognizer)
 * @param ocrDictionary its dictionary (default: the package's)
 * @param nedDictionary dictionary of the NED ids (default: the OCR dictionary)
 * @param clipImage CLIP image tower ONNX (with clipText: CLIPScore)
 * @param clipTokenizer CLIP vocabulary folder (vocab.json + merges.txt; default: bundled)
 * @param inception pytorch-fid Inception ONNX (with a reference folder: FID)
 * @param fidReference reference image folder by benchmark name or language ("en", "zh")
 */
public record EvalConfig(
    Mode mode,
    List<Path> benchmarks,
    Path model,
    Path out,
    GenerationProtocol protocol,
    int limit,
    boolean generate,
    Path sourceImages,
    Path font,
    Path ocrModel,
    Path ocrDictionary,
    Path nedDictionary,
    RecognizerCrops.ChannelOrder channelOrder,
    Path clipImage,
    Path clipText,
    Path clipTokenizer,
    Path inception,
    InceptionFeatures.Range inceptionRange,
    Map<String, Path> fidReference,
    RuntimeOptions runtime) {

  /** Generation from the captions, or editing the benchmark's pictures. */
  public enum Mode {
    GEN,
    EDIT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public EvalConfig {
    if (mode == null) throw new IllegalArgumentException("expected a mode (gen or edit), found none");
    benchmarks = List.copyOf(benchmarks);
    if (benchmarks.isEmpty()) throw new IllegalArgumentException("expected at least one --benchmark, found none");
    if (out == null) throw new IllegalArgumentException("expected an output folder (--out), found none");
    if (protocol == null) protocol = GenerationProtocol.benchmark();
    if (limit < 0) throw new IllegalArgumentException("expected --limit >= 0, found " + limit);
    if (channelOrder == null) channelOrder = RecognizerCrops.ChannelOrder.BGR;
    if (inceptionRange == null) inceptionRange = InceptionFeatures.Range.UNIT;
    fidReference = fidReference == null ? Map.of() : Map.copyOf(fidReference);
    if (runtime == null) runtime = RuntimeOptions.cpu();
    if ((clipImage == null) != (clipText == null)) {
      throw new IllegalArgumentException("CLIPScore needs both --clip-image and --clip-text, found only one");
    }
    if (model == null && (generate || ocrModel == null)) {
      throw new IllegalArgumentException("expected a model package (--model): it generates the images and holds the default OCR recognizer");
    }
    if (ocrModel != null && ocrDictionary == null) {
      throw new IllegalArgumentException("--ocr-model needs its character dictionary (--ocr-dict), found none");
    }
  }
}
