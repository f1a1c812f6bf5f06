package io.anytext2.nn.config;

import java.util.List;
import java.util.Map;

/** Typed reads from the nested maps a YAML/JSON parser produces, with messages naming the path. */
final class ConfigMaps {
  private ConfigMaps() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("config: expected a section '" + key + "', found " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  /** Follows a dotted path of sections, e.g. "model.params.unet_config.params". */
  static Map<String, Object> path(Map<String, Object> root, String dotted) {
    Map<String, Object> m = root;
    for (String part : dotted.split("\\.")) {
      m = map(m, part);
    }
    return m;
  }

  static int intOr(Map<String, Object> m, String key, int dflt) {
    Object v = m.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n.intValue();
    throw new IllegalArgumentException("config: '" + key + "' must be an integer, found " + describe(v));
  }

  static int intReq(Map<String, Object> m, String key) {
    if (!m.containsKey(key)) throw new IllegalArgumentException("config: missing '" + key + "'");
    return intOr(m, key, 0);
  }

  static double doubleOr(Map<String, Object> m, String key, double dflt) {
    Object v = m.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("config: '" + key + "' must be a number, found " + describe(v));
  }

  static boolean boolOr(Map<String, Object> m, String key, boolean dflt) {
    Object v = m.get(key);
    if (v == null) return dflt;
    if (v instanceof Boolean b) return b;
    throw new IllegalArgumentException("config: '" + key + "' must be true/false, found " + describe(v));
  }

  static String stringOr(Map<String, Object> m, String key, String dflt) {
    Object v = m.get(key);
    return v == null ? dflt : v.toString();
  }

  static int[] intList(Map<String, Object> m, String key, int[] dflt) {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) throw new IllegalArgumentException("config: missing '" + key + "'");
      return dflt.clone();
    }
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException("config: '" + key + "' must be a list, found " + describe(v));
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new IllegalArgumentException("config: '" + key + "' must hold integers");
      }
      out[i] = n.intValue();
    }
    return out;
  }

  private static String describe(Object v) {
    return v == null ? "nothing" : v.getClass().getSimpleName() + " " + v;
  }
}
