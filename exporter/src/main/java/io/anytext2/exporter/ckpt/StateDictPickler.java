package io.anytext2.exporter.ckpt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data.pkl} of {@code torch.save({'state_dict': OrderedDict(...)})}, written with pickle
 * protocol 2 opcodes as Python's pickler emits them, naming only the globals that {@link
 * TorchUnpickler} allows: {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}
 * and the typed storage classes. Tensor {@code i} of the list is a contiguous view of storage
 * {@code "i"} (entry {@code data/i}).
 */
final class StateDictPickler {
  /** Python's pickler splits SETITEMS into batches of this many pairs. */
  private static final int BATCH = 1000;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> memo = new HashMap<>();

  private StateDictPickler() {}

  static byte[] pickle(List<TensorInfo> tensors) {
    StateDictPickler p = new StateDictPickler();
    p.op(0x80).op(2); // PROTO 2
    p.op('}'); // EMPTY_DICT
    p.text("state_dict");
    p.emptyOrderedDict();
    for (int from = 0; from < tensors.size(); from += BATCH) {
      p.op('('); // MARK
      for (int i = from; i < Math.min(tensors.size(), from + BATCH); i++) {
        p.text(tensors.get(i).key());
        p.tensor(tensors.get(i), Integer.toString(i));
      }
      p.op('u'); // SETITEMS
    }
    p.op('s'); // SETITEM: state_dict -> OrderedDict
    p.op('.'); // STOP
    return p.out.toByteArray();
  }

  /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}, the storage by persistent id. */
  private void tensor(TensorInfo info, String storageKey) {
    global("torch._utils", "_rebuild_tensor_v2");
    op('(');
    op('('); // persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel)
    text("storage");
    global("torch", info.dtype().torchStorageName());
    text(storageKey);
    text("cpu");
    integer(info.numel());
    op('t');
    op('Q'); // BINPERSID
    integer(0); // storage offset
    long[] shape = info.shape();
    tuple(shape);
    tuple(rowMajorStrides(shape));
    op(0x89); // NEWFALSE: requires_grad
    emptyOrderedDict(); // backward hooks
    op('t');
    op('R');
  }

  private void emptyOrderedDict() {
    global("collections", "OrderedDict");
    op(')').op('R');
  }

  static long[] rowMajorStrides(long[] shape) {
    long[] stride = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      stride[i] = s;
      s *= Math.max(shape[i], 1);
    }
    return stride;
  }

  private void tuple(long[] values) {
    if (values.length == 0) {
      op(')');
      return;
    }
    if (values.length > 3) op('(');
    for (long v : values) integer(v);
    op(switch (values.length) {
      case 1 -> 0x85; // TUPLE1
      case 2 -> 0x86;
      case 3 -> 0x87;
      default -> 't';
    });
  }

  /** GLOBAL the first time (remembered with BINPUT), BINGET afterwards, as Python's pickler does. */
  private void global(String module, String name) {
    if (recall(module + "\n" + name)) return;
    op('c');
    raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    remember(module + "\n" + name);
  }

  /** BINUNICODE; the repeated strings "storage" and "cpu" go through the memo. */
  private void text(String s) {
    boolean memoized = s.equals("storage") || s.equals("cpu");
    if (memoized && recall("str:" + s)) return;
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
    raw(utf8);
    if (memoized) remember("str:" + s);
  }

  private void integer(long v) {
    if (v >= 0 && v < 0x100) {
      op('K').op((int) v);
    } else if (v >= 0 && v < 0x10000) {
      op('M').op((int) (v & 0xff)).op((int) (v >>> 8));
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op('J');
      raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    } else {
      op(0x8a).op(8); // LONG1: 8 bytes of little-endian two's complement
      raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
  }

  private boolean recall(String key) {
    Integer slot = memo.get(key);
    if (slot == null) return false;
    op('h').op(slot); // BINGET
    return true;
  }

  private void remember(String key) {
    int slot = memo.size(); // a handful of globals and strings: always under 256
    memo.put(key, slot);
    op('q').op(slot); // BINPUT
  }

  private StateDictPickler op(int opcode) {
    out.write(opcode);
    return this;
  }

  private void raw(byte[] b) {
    out.write(b, 0, b.length);
  }
}
