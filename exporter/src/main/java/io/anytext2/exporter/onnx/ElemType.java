package io.anytext2.exporter.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/** The element types a graph value can have, with their ONNX codes and byte sizes. */
public enum ElemType {
  FLOAT(DataType.FLOAT, 4),
  FLOAT16(DataType.FLOAT16, 2),
  INT32(DataType.INT32, 4),
  INT64(DataType.INT64, 8),
  BOOL(DataType.BOOL, 1);

  private final DataType onnx;
  private final int bytes;

  ElemType(DataType onnx, int bytes) {
    this.onnx = onnx;
    this.bytes = bytes;
  }

  /** The TensorProto.DataType code (also used by TypeProto.Tensor.elem_type and Cast's "to"). */
  public int onnxCode() {
    return onnx.getNumber();
  }

  /** Whether this is a floating-point type (FLOAT or FLOAT16). */
  public boolean isFloating() {
    return this == FLOAT || this == FLOAT16;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }
}
