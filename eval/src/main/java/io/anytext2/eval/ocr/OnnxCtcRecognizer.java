package io.anytext2.eval.ocr;

import io.anytext2.eval.OnnxModel;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.RecognizerInput;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CTC text recognizer in ONNX, decoded greedily: the model package's {@code ocr_recognizer}
 * (PP-OCRv3, input {@code image} [n,3,48,320], output {@code logits} [n,40,K]) or any recognizer
 * with one float input [n,3,48,320] (or dynamic sizes) in the PP-OCR normalisation and an output
 * [n,T,K] of scores (logits or probabilities) whose K fits the dictionary (n+1 or n+2 classes).
 */
public final class OnnxCtcRecognizer implements AutoCloseable {
  /** Crops per call (the original feeds the ModelScope recognizer in batches of 8). */
  static final int BATCH = 16;

  private final OnnxModel model;
  private final String input;
  private final String output;
  private final CtcGreedyDecoder decoder;
  private final String description;

  private OnnxCtcRecognizer(OnnxModel model, String input, String output, OcrDictionary dict, String description) {
    this.model = model;
    this.input = input;
    this.output = output;
    this.decoder = new CtcGreedyDecoder(dict);
    this.description = description;
  }

  /** Opens a recognizer graph; checks its input layout. */
  public static OnnxCtcRecognizer open(Path onnx, OcrDictionary dict, RuntimeOptions options, String description) {
    OnnxModel m = OnnxModel.open(onnx, options, "OCR recognizer");
    try {
      List<String> ins = m.inputNames();
      if (ins.size() != 1) throw new IllegalArgumentException("expected an OCR recognizer with one input, found " + ins);
      long[] s = m.shape(ins.get(0));
      if (s.length != 4 || (s[1] >= 0 && s[1] != 3) || (s[2] >= 0 && s[2] != RecognizerInput.HEIGHT)
          || (s[3] >= 0 && s[3] != RecognizerInput.WIDTH)) {
        throw new IllegalArgumentException("expected an OCR recognizer input [n,3,48,320], found " + java.util.Arrays.toString(s));
      }
      return new OnnxCtcRecognizer(m, ins.get(0), m.pickOutput(3, "logits"), dict, description);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** What reads the crops, for the report. */
  public String description() {
    return description;
  }

  /** Reads [3,48,320] inputs (see {@link RecognizerCrops#recognizerInput}); one string each. */
  public List<String> recognize(List<FloatImage> inputs) {
    List<String> out = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += BATCH) {
      List<FloatImage> part = inputs.subList(from, Math.min(inputs.size(), from + BATCH));
      List<FloatTensor> items = new ArrayList<>();
      for (FloatImage f : part) items.add(new FloatTensor(f.data(), f.shape()));
      FloatTensor scores = model.run(Map.of(input, FloatTensor.stack(items)), List.of(output)).get(output);
      if (scores.shape().length != 3 || scores.dim(0) != part.size()) {
        throw new IllegalArgumentException("expected recognizer scores [" + part.size() + ",T,K], found " + java.util.Arrays.toString(scores.shape()));
      }
      int steps = (int) scores.dim(1);
      int classes = (int) scores.dim(2);
      float[] d = scores.data();
      for (int i = 0; i < part.size(); i++) out.add(decoder.decode(d, i, steps, classes));
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
