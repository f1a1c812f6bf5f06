package io.anytext2.sdk.prep;

import java.util.ArrayList;
import java.util.List;

/**
 * 8-connected component labelling of a binary mask, as {@code cv2.connectedComponentsWithStats}
 * (MODEL.md §2.6 step 3).
 *
 * <p>Label order follows OpenCV's block-based algorithms (BBDT / Spaghetti, also in their parallel
 * form): they scan the image in 2x2 blocks and keep the smallest provisional label as the root, so
 * components are numbered by the first 2x2 block (block rows first) that holds one of their pixels.
 * Two components can never start in the same block, because all pixels of a 2x2 block touch each
 * other under 8-connectivity.
 */
public final class ConnectedComponents {

  /** One labelled component: its label (0-based, OpenCV order), pixel count and mean x, y. */
  public record Component(int label, int area, double centroidX, double centroidY) {}

  /** The labelling of one mask: a label per pixel (-1 = background) and the components. */
  public static final class Labeling {
    private final int width;
    private final int height;
    private final int[] labels;
    private final List<Component> components;

    private Labeling(int width, int height, int[] labels, List<Component> components) {
      this.width = width;
      this.height = height;
      this.labels = labels;
      this.components = List.copyOf(components);
    }

    public List<Component> components() {
      return components;
    }

    /** Per-pixel labels (component label or -1), for this package; never modified. */
    int[] labelsView() {
      return labels;
    }

    /** The pixels of one component. */
    public Mask mask(Component c) {
      byte[] bits = new byte[labels.length];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = labels[i] == c.label() ? (byte) 1 : 0;
      }
      return Mask.wrap(width, height, bits);
    }
  }

  /** The already-scanned 8-neighbours: left, upper left, above, upper right. */
  private static final int[] NEIGHBOUR_DX = {-1, -1, 0, 1};
  private static final int[] NEIGHBOUR_DY = {0, -1, -1, -1};

  private ConnectedComponents() {}

  /** All 8-connected components of the set pixels, in OpenCV label order. */
  public static Labeling find(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    byte[] bits = mask.bits();
    int[] labels = new int[w * h];
    int[] parent = new int[w * h + 1];
    int next = 1;
    // Two-pass labelling with union-find; provisional labels only fix which pixels belong together.
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (bits[i] == 0) {
          continue;
        }
        int label = 0;
        if (y > 0 && labels[i - w] != 0) {
          // The pixel above touches every other scanned neighbour (left diagonally, the upper two beside it), and
          // each of those was joined with it when the later of the two was scanned: nothing to union.
          label = find(parent, labels[i - w]);
        } else {
          for (int k = 0; k < 4; k++) {
            int nx = x + NEIGHBOUR_DX[k];
            int ny = y + NEIGHBOUR_DY[k];
            if (nx < 0 || ny < 0 || nx >= w) {
              continue;
            }
            int nl = labels[ny * w + nx];
            if (nl == 0) {
              continue;
            }
            if (label == 0) {
              label = find(parent, nl);
            } else {
              label = union(parent, label, nl);
            }
          }
        }
        if (label == 0) {
          label = next;
          parent[next] = next;
          next++;
        }
        labels[i] = label;
      }
    }
    // Order the components by their first 2x2 block, as OpenCV numbers them.
    int blocksPerRow = (w + 1) / 2;
    long[] firstBlock = new long[next];
    java.util.Arrays.fill(firstBlock, Long.MAX_VALUE);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = labels[y * w + x];
        if (l != 0) {
          int root = find(parent, l);
          long block = (long) (y / 2) * blocksPerRow + x / 2;
          if (block < firstBlock[root]) {
            firstBlock[root] = block;
          }
        }
      }
    }
    List<Integer> roots = new ArrayList<>();
    for (int l = 1; l < next; l++) {
      if (find(parent, l) == l) {
        roots.add(l);
      }
    }
    roots.sort((a, b) -> Long.compare(firstBlock[a], firstBlock[b]));
    int[] finalLabel = new int[next];
    for (int k = 0; k < roots.size(); k++) {
      finalLabel[roots.get(k)] = k;
    }
    int n = roots.size();
    long[] area = new long[n];
    double[] sumX = new double[n];
    double[] sumY = new double[n];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (labels[i] == 0) {
          labels[i] = -1;
          continue;
        }
        int k = finalLabel[find(parent, labels[i])];
        labels[i] = k;
        area[k]++;
        sumX[k] += x;
        sumY[k] += y;
      }
    }
    List<Component> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add(new Component(k, (int) area[k], sumX[k] / area[k], sumY[k] / area[k]));
    }
    return new Labeling(w, h, labels, out);
  }

  private static int find(int[] parent, int l) {
    while (parent[l] != l) {
      parent[l] = parent[parent[l]];
      l = parent[l];
    }
    return l;
  }

  private static int union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    int root = Math.min(ra, rb);
    parent[ra] = root;
    parent[rb] = root;
    return root;
  }
}
