package io.anytext2.exporter.ckpt;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;

/**
 * The Java values {@link TorchUnpickler} builds for the few Python objects it allows. They hold
 * data only: no method of theirs runs anything named by the file.
 */
final class PickledObjects {
  private PickledObjects() {}

  /** An object that accepts the pickle BUILD opcode (Python's {@code __setstate__}). */
  interface Buildable {
    void build(Object state);
  }

  /**
   * A typed storage of the zip archive, named by its persistent id {@code ('storage',
   * torch.FloatStorage, key, location, numel)}; its bytes are entry {@code <archive>/data/<key>}.
   */
  record StorageRef(String key, DType dtype, String location, long numel) {}

  /**
   * A tensor view of a storage, as {@code torch._utils._rebuild_tensor_v2(storage, offset, size,
   * stride, ...)} describes it; offset and strides count elements.
   */
  record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {
    long numel() {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    /** True when the elements lie in row-major order without gaps (dimensions of size 1 are free). */
    boolean isContiguous() {
      long expected = 1;
      for (int i = shape.length - 1; i >= 0; i--) {
        if (shape[i] != 1 && stride[i] != expected) {
          return numel() == 0;
        }
        expected *= shape[i];
      }
      return true;
    }

    /** Storage index of the last element reached, or {@code offset - 1} for an empty tensor. */
    long lastIndex() {
      if (numel() == 0) {
        return offset - 1;
      }
      long last = offset;
      for (int i = 0; i < shape.length; i++) {
        last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
      }
      return last;
    }

    @Override
    public String toString() {
      return "tensor(storage " + storage.key() + ", offset " + offset + ", shape " + Arrays.toString(shape)
          + ", stride " + Arrays.toString(stride) + ")";
    }
  }

  /**
   * A class that may appear as a value (a storage type in a persistent id, a dict key, a type
   * argument) but is never instantiated; calling it is an error.
   */
  record ClassRef(String qualifiedName) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new IllegalArgumentException(qualifiedName + " is allowed only as a type marker, but the pickle calls it");
    }
  }

  /**
   * {@code collections.OrderedDict} and dict subclasses such as Lightning's {@code AttributeDict}:
   * the entries in insertion order, plus the instance attributes a BUILD sets (PyTorch stores a
   * state dict's {@code _metadata} there).
   */
  static final class PyDict extends LinkedHashMap<Object, Object> implements Buildable {
    private static final long serialVersionUID = 1L;
    private final String pythonType;
    private final Map<Object, Object> attributes = new LinkedHashMap<>();

    PyDict(String pythonType) {
      this.pythonType = pythonType;
    }

    String pythonType() {
      return pythonType;
    }

    Map<Object, Object> attributes() {
      return attributes;
    }

    /** BUILD state: an attribute dict, or a (dict, slot dict) pair; either part may be None. */
    @Override
    public void build(Object state) {
      if (state instanceof Object[] pair && pair.length == 2) {
        build(pair[0]);
        build(pair[1]);
      } else if (state instanceof Map<?, ?> map) {
        attributes.putAll(map);
      } else if (state != null) {
        throw new IllegalArgumentException("expected a dict as the state of " + pythonType + ", found "
            + state.getClass().getSimpleName());
      }
    }
  }

  /** {@code numpy.dtype(spec, align, copy)} followed by BUILD(state tuple); kept as data. */
  static final class NumpyDType implements Buildable {
    private final Object[] args;
    private Object state;

    NumpyDType(Object[] args) {
      this.args = args.clone();
    }

    @Override
    public void build(Object state) {
      this.state = state;
    }

    Object state() {
      return state;
    }

    @Override
    public String toString() {
      return "numpy.dtype(" + (args.length > 0 ? args[0] : "") + ")";
    }
  }

  /** {@code numpy.core.multiarray.scalar(dtype, bytes)}: a numpy scalar's raw bytes, not decoded. */
  record NumpyScalar(Object dtype, byte[] data) {}
}
