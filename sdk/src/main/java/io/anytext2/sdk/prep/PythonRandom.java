package io.anytext2.sdk.prep;

import java.util.function.DoubleSupplier;

/**
 * Python's {@code random} module generator (MT19937, {@code random.seed(int)} via {@code
 * init_by_array}, 53-bit {@code random()}), so that the three draws the mimic path makes after
 * {@code seed_everything(seed)} come out as in the original (MODEL.md §2.12, §6 item 31). Not
 * thread-safe.
 */
public final class PythonRandom implements DoubleSupplier {

  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int index = N;

  /** Equivalent to {@code random.seed(seed)} for an integer seed. */
  public PythonRandom(long seed) {
    long n = Math.abs(seed);
    int words = n >>> 32 != 0 ? 2 : 1;
    int[] key = new int[words];
    key[0] = (int) n;
    if (words == 2) {
      key[1] = (int) (n >>> 32);
    }
    initByArray(key);
  }

  /** {@code random.random()}: uniform in [0, 1) with 53 random bits. */
  public double random() {
    long a = (nextInt() & 0xffffffffL) >>> 5;
    long b = (nextInt() & 0xffffffffL) >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /** {@code random.uniform(a, b)} = {@code a + (b - a) * random()}. */
  public double uniform(double a, double b) {
    return a + (b - a) * random();
  }

  @Override
  public double getAsDouble() {
    return random();
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private int nextInt() {
    if (index >= N) {
      for (int k = 0; k < N; k++) {
        int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }
}
