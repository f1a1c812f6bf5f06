package io.anytext2.exporter.ckpt;

import io.anytext2.exporter.ckpt.PickledObjects.ClassRef;
import io.anytext2.exporter.ckpt.PickledObjects.NumpyDType;
import io.anytext2.exporter.ckpt.PickledObjects.NumpyScalar;
import io.anytext2.exporter.ckpt.PickledObjects.PyDict;
import io.anytext2.exporter.ckpt.PickledObjects.StorageRef;
import io.anytext2.exporter.ckpt.PickledObjects.TensorRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the {@code data.pkl} of a {@code torch.save} zip archive without executing anything from it.
 *
 * <p>A pickle can name any Python callable through the GLOBAL, STACK_GLOBAL and INST opcodes and
 * call it with REDUCE, NEWOBJ or OBJ; that is how malicious checkpoints run code. This unpickler
 * resolves every such name against a fixed allow-list of data-only stand-ins written here in Java
 * (see {@link #allowList}) and rejects every other name before anything could be called. BUILD is
 * applied only to the stand-ins that accept state; dicts keep the file's insertion order.
 */
final class TorchUnpickler extends Unpickler {
  private static final int MAX_NAME_LENGTH = 1000;

  private final String source;
  private final Map<String, IObjectConstructor> allowed;

  /** @param source the checkpoint file, named in error messages */
  TorchUnpickler(String source) {
    this.source = source;
    this.allowed = allowList();
  }

  /** Unpickles {@code pickle}; any failure becomes a {@link CheckpointException} naming the file. */
  Object unpickle(byte[] pickle) {
    try {
      return load(new ByteArrayInputStream(pickle));
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException | RuntimeException e) { // PickleException is a RuntimeException
      throw new CheckpointException("checkpoint " + source + ": data.pkl is malformed or unsupported ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    } finally {
      close();
    }
  }

  @Override
  protected Object dispatch(short opcode) throws PickleException, IOException {
    switch (opcode) {
      case Opcodes.GLOBAL -> {
        String module = readNameLine();
        String name = readNameLine();
        stack.add(resolve(module, name));
      }
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new PickleException("STACK_GLOBAL expects two strings");
        }
        stack.add(resolve(m, n));
      }
      case Opcodes.INST -> { // protocol 0: class named inline, instantiated with the args since MARK
        String module = readNameLine();
        String name = readNameLine();
        IObjectConstructor constructor = resolve(module, name);
        stack.add(constructor.construct(stack.pop_all_since_marker().toArray()));
      }
      case Opcodes.BUILD -> {
        Object state = stack.pop();
        Object target = stack.peek();
        if (!(target instanceof PickledObjects.Buildable buildable)) {
          throw new PickleException("BUILD (__setstate__) on " + describe(target) + " is not supported");
        }
        buildable.build(state);
      }
      // The base class builds HashMaps; a state dict's key order is part of the file, so keep it.
      case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
      case Opcodes.DICT -> {
        List<Object> items = stack.pop_all_since_marker();
        Map<Object, Object> map = new LinkedHashMap<>();
        putPairs(map, items);
        stack.add(map);
      }
      case Opcodes.SETITEMS -> {
        List<Object> items = stack.pop_all_since_marker();
        putPairs(asMap(stack.peek()), items);
      }
      // Length-prefixed strings and bytes: the base class allocates the stated length before
      // reading, so a forged length could demand gigabytes; check it against what is left.
      case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE -> {
        checkLength(4);
        return super.dispatch(opcode);
      }
      case Opcodes.BINBYTES8, Opcodes.BINUNICODE8, Opcodes.BYTEARRAY8 -> {
        checkLength(8);
        return super.dispatch(opcode);
      }
      default -> {
        return super.dispatch(opcode);
      }
    }
    return NO_RETURN_VALUE;
  }

  /** Peeks at a little-endian length of {@code width} bytes and rejects one beyond the pickle's end. */
  private void checkLength(int width) throws IOException {
    input.mark(width);
    byte[] bytes = input.readNBytes(width);
    input.reset();
    if (bytes.length != width) {
      throw new PickleException("pickle ends inside a length field");
    }
    ByteBuffer field = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long length = width == 4 ? field.getInt() & 0xffffffffL : field.getLong();
    if (length < 0 || length > input.available() - width) {
      throw new PickleException("a string of " + Long.toUnsignedString(length) + " bytes runs past the pickle's end");
    }
  }

  /**
   * torch.save writes each storage as a persistent id {@code ('storage', storage_type, key,
   * location, numel)} and its bytes as entry {@code data/<key>}; nothing is read here.
   */
  @Override
  protected Object persistentLoad(Object pid) {
    if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])) {
      throw new PickleException("expected a persistent id ('storage', type, key, location, numel), found "
          + describe(pid));
    }
    if (!(t[1] instanceof ClassRef type) || !type.qualifiedName().startsWith("torch.")) {
      throw new PickleException("expected a torch storage type in persistent id, found " + describe(t[1]));
    }
    DType dtype = DType.fromTorchStorageName(type.qualifiedName().substring("torch.".length()))
        .orElseThrow(() -> new PickleException(type.qualifiedName() + " is not a typed storage this reader knows"));
    if (!(t[2] instanceof String || t[2] instanceof Number) || !(t[4] instanceof Number numel)) {
      throw new PickleException("malformed persistent id " + describe(pid));
    }
    return new StorageRef(String.valueOf(t[2]), dtype, String.valueOf(t[3]), numel.longValue());
  }

  /** One newline-terminated name of GLOBAL/INST; the base class would accept a line cut off by EOF. */
  private String readNameLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = input.read(); c != '\n'; c = input.read()) {
      if (c < 0) {
        throw new PickleException("pickle ends inside a global name");
      }
      if (line.length() >= MAX_NAME_LENGTH) {
        throw new PickleException("global name longer than " + MAX_NAME_LENGTH + " characters");
      }
      line.append((char) c); // module and class names are ASCII identifiers in practice
    }
    return line.toString();
  }

  private IObjectConstructor resolve(String module, String name) {
    IObjectConstructor constructor = allowed.get(module + "." + name);
    if (constructor == null) {
      throw new CheckpointException("checkpoint " + source + " references " + printable(module) + "."
          + printable(name) + ", which is not allowed (only tensors and plain containers are read)");
    }
    return constructor;
  }

  /**
   * The only Python names a checkpoint may use. Each maps to Java code written here that builds
   * plain data; none looks anything up or calls anything by name.
   */
  private Map<String, IObjectConstructor> allowList() {
    Map<String, IObjectConstructor> m = new HashMap<>();

    // ---- what torch.save of a state dict produces ----
    // OrderedDict() with no args, filled by SETITEMS; _metadata arrives by BUILD.
    m.put("collections.OrderedDict", args -> dictOf("collections.OrderedDict", args));
    // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata]):
    // only the first four describe data; requires_grad, hooks (an empty OrderedDict) and metadata are ignored.
    IObjectConstructor rebuildV2 = args -> tensor(args, 7);
    IObjectConstructor rebuildV1 = args -> tensor(args, 4); // torch < 1.0: (storage, offset, size, stride)
    m.put("torch._utils._rebuild_tensor_v2", rebuildV2);
    m.put("torch._utils._rebuild_tensor", rebuildV1);
    // nn.Parameter: (data, requires_grad, backward_hooks[, state]) -> the data tensor
    m.put("torch._utils._rebuild_parameter", args -> parameterData(args, 3));
    m.put("torch._utils._rebuild_parameter_with_state", args -> parameterData(args, 4));
    // Tensor subclasses / tensors with Python attributes: (func, type, args, state). Only our own
    // rebuild functions may be func, only Tensor or Parameter the type; the attribute state is ignored.
    m.put("torch.Tensor", new ClassRef("torch.Tensor"));
    m.put("torch.nn.parameter.Parameter", new ClassRef("torch.nn.parameter.Parameter"));
    m.put("torch._tensor._rebuild_from_type_v2", args -> {
      expectArgs("_rebuild_from_type_v2", args, 4, 4);
      if (args[0] != rebuildV2 && args[0] != rebuildV1) {
        throw new IllegalArgumentException("_rebuild_from_type_v2 may only wrap _rebuild_tensor_v2");
      }
      if (!(args[1] instanceof ClassRef type) || !(type.qualifiedName().equals("torch.Tensor")
          || type.qualifiedName().equals("torch.nn.parameter.Parameter"))) {
        throw new IllegalArgumentException("_rebuild_from_type_v2 may only build torch.Tensor or Parameter");
      }
      if (!(args[2] instanceof Object[] inner)) {
        throw new IllegalArgumentException("_rebuild_from_type_v2 expects an argument tuple");
      }
      return ((IObjectConstructor) args[0]).construct(inner);
    });
    // Typed storage classes: markers inside persistent ids (see persistentLoad).
    for (DType d : DType.values()) {
      m.put("torch." + d.torchStorageName(), new ClassRef("torch." + d.torchStorageName()));
    }

    // ---- inert values that PyTorch Lightning checkpoints carry next to state_dict ----
    // PL < 1.5 keys its 'callbacks' dict by the callback class (e.g. the SD 1.x checkpoints).
    m.put("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint",
        new ClassRef("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint"));
    // 'hyper_parameters' is an AttributeDict, a plain dict subclass: built empty, filled by SETITEMS.
    for (String attributeDict : List.of("pytorch_lightning.utilities.parsing.AttributeDict",
        "lightning_fabric.utilities.data.AttributeDict", "lightning.fabric.utilities.data.AttributeDict")) {
      m.put(attributeDict, args -> dictOf(attributeDict, args));
    }
    // numpy scalars (e.g. a monitored metric): dtype descriptor + raw bytes, kept undecoded.
    IObjectConstructor scalar = args -> {
      expectArgs("numpy scalar", args, 1, 2);
      return new NumpyScalar(args[0], args.length > 1 && args[1] instanceof byte[] b ? b.clone() : new byte[0]);
    };
    m.put("numpy.core.multiarray.scalar", scalar);
    m.put("numpy._core.multiarray.scalar", scalar); // numpy >= 2 module path
    m.put("numpy.dtype", NumpyDType::new);
    // Protocol-2 pickles write bytes as _codecs.encode(text, 'latin1'); decode that one case ourselves.
    m.put("_codecs.encode", args -> {
      expectArgs("_codecs.encode", args, 2, 2);
      if (!(args[0] instanceof String text) || !(args[1] instanceof String enc)
          || !(enc.equals("latin1") || enc.equals("latin-1"))) {
        throw new IllegalArgumentException("only _codecs.encode(str, 'latin1') is supported");
      }
      return text.getBytes(StandardCharsets.ISO_8859_1);
    });
    // Protocol-2 sets: set(list).
    for (String set : List.of("builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset")) {
      m.put(set, args -> {
        expectArgs(set, args, 0, 1);
        Set<Object> out = new LinkedHashSet<>();
        if (args.length == 1) {
          if (!(args[0] instanceof Collection<?> items)) {
            throw new IllegalArgumentException(set + " expects a list");
          }
          out.addAll(items);
        }
        return out;
      });
    }
    return Map.copyOf(m);
  }

  // ---- stand-in implementations ----

  private static Object tensor(Object[] args, int maxArgs) {
    expectArgs("_rebuild_tensor", args, 4, maxArgs);
    if (!(args[0] instanceof StorageRef storage)) {
      throw new IllegalArgumentException("_rebuild_tensor expects a storage, found " + describe(args[0]));
    }
    long offset = toLong(args[1], "storage offset");
    long[] shape = toLongs(args[2], "size");
    long[] stride = toLongs(args[3], "stride");
    if (shape.length != stride.length) {
      throw new IllegalArgumentException("size and stride differ in length: " + shape.length + " vs " + stride.length);
    }
    return new TensorRef(storage, offset, shape, stride);
  }

  private static Object parameterData(Object[] args, int count) {
    expectArgs("_rebuild_parameter", args, count, count);
    if (!(args[0] instanceof TensorRef t)) {
      throw new IllegalArgumentException("_rebuild_parameter expects a tensor, found " + describe(args[0]));
    }
    return t;
  }

  private static PyDict dictOf(String type, Object[] args) {
    expectArgs(type, args, 0, 1);
    PyDict dict = new PyDict(type);
    if (args.length == 1) { // OrderedDict([(k, v), ...]) as protocol 0/1 may write it
      if (!(args[0] instanceof Collection<?> pairs)) {
        throw new IllegalArgumentException(type + " expects a list of pairs, found " + describe(args[0]));
      }
      for (Object pair : pairs) {
        Object[] kv = pair instanceof Object[] a ? a : pair instanceof List<?> l ? l.toArray() : null;
        if (kv == null || kv.length != 2) {
          throw new IllegalArgumentException(type + " expects (key, value) pairs, found " + describe(pair));
        }
        dict.put(kv[0], kv[1]);
      }
    }
    return dict;
  }

  private static void expectArgs(String what, Object[] args, int min, int max) {
    if (args.length < min || args.length > max) {
      throw new IllegalArgumentException(
          what + " expects " + (min == max ? min : min + ".." + max) + " arguments, found " + args.length);
    }
  }

  private static long toLong(Object o, String what) {
    if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
      return ((Number) o).longValue();
    }
    throw new IllegalArgumentException("expected an integer " + what + ", found " + describe(o));
  }

  private static long[] toLongs(Object o, String what) {
    Object[] items = o instanceof Object[] a ? a : o instanceof List<?> l ? l.toArray() : null;
    if (items == null) {
      throw new IllegalArgumentException("expected a tuple " + what + ", found " + describe(o));
    }
    long[] out = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = toLong(items[i], what);
      if (out[i] < 0) {
        throw new IllegalArgumentException("expected non-negative " + what + ", found " + out[i]);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> asMap(Object o) {
    if (!(o instanceof Map<?, ?>)) {
      throw new PickleException("SETITEMS on " + describe(o));
    }
    return (Map<Object, Object>) o;
  }

  private static void putPairs(Map<Object, Object> map, List<Object> items) {
    if (items.size() % 2 != 0) {
      throw new PickleException("odd number of items for a dict");
    }
    for (int i = 0; i < items.size(); i += 2) {
      map.put(items.get(i), items.get(i + 1));
    }
  }

  static String describe(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }

  /** A name from the file, safe to put in a one-line message. */
  private static String printable(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }
}
