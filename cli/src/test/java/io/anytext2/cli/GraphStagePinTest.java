package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.runtime.GraphStage;
import io.anytext2.sdk.runtime.InferenceException;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Native tensors another graph returned are pinned as borrowed: a pin never closes them (their owner
 * does), and a name given both ways is refused.
 */
class GraphStagePinTest {

  @Test
  void borrowedTensorsOutliveThePinAndNamesMayNotRepeat() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (AnyText2Pipeline p = AnyText2Pipeline.open(TinyPackage.get(), RuntimeOptions.cpu());
        OnnxTensor borrowed = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3}), new long[] {3})) {
      GraphStage stage = p.stages().controlNet();
      try (GraphStage.Pinned pinned = stage.pin(Map.of("a", FloatTensor.scalar(5f)), Map.of("b", borrowed))) {
        // converted and borrowed inputs side by side
      }
      float[] still = new float[3];
      borrowed.getFloatBuffer().get(still); // a closed tensor would throw here
      assertArrayEquals(new float[] {1, 2, 3}, still);
      assertThrows(InferenceException.class, () -> stage.pin(Map.of("b", FloatTensor.scalar(1f)), Map.of("b", borrowed)));
      borrowed.getFloatBuffer(); // the refused pin left it open too
    }
    OnnxTensor closed = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1}), new long[] {1});
    closed.close();
    assertThrows(IllegalStateException.class, closed::getFloatBuffer, "what a closed tensor does, which the checks above rely on");
  }
}
