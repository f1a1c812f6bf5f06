/**
 * AnyText-benchmark evaluation (TRAINING.md §5): the generation protocol of the original
 * {@code eval/anytext2_singleGPU.py} ({@link io.anytext2.eval.gen}), OCR sentence accuracy and NED
 * ({@link io.anytext2.eval.ocr}), CLIPScore and FID with user-supplied ONNX encoders
 * ({@link io.anytext2.eval.metrics}), and the JSON + Markdown report ({@link io.anytext2.eval.report}).
 * {@link io.anytext2.eval.EvalRunner} ties them together.
 */
package io.anytext2.eval;
