package io.anytext2.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown form of an {@link EndToEnd} report. */
final class BenchMarkdown {
  private BenchMarkdown() {}

  @SuppressWarnings("unchecked")
  static String of(Map<String, Object> r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "### %s, %s package%s, %s%n%n", r.get("provider"), r.get("precision"),
        Boolean.TRUE.equals(r.get("fused_attention")) ? " (fused attention)" : "", r.get("date")));
    Object cuda = r.get("cuda_options");
    Object cublas = r.get("cublas_workspace_config");
    s.append(String.format(Locale.ROOT, "sampler %s, %s×%s%s%s%n%n", r.get("sampler"), r.get("size"), r.get("size"),
        cuda == null || cuda.toString().isEmpty() ? "" : ", CUDA options " + cuda, cublas == null ? "" : ", CUBLAS_WORKSPACE_CONFIG " + cublas));
    s.append("| measure | value |\n|---|---|\n");
    row(s, "session creation (all graphs)", r.get("session_creation_ms"), "ms");
    row(s, "first request (20 steps, 1 image), sessions excluded", r.get("first_request_ms"), "ms");
    row(s, "first request incl. session creation", r.get("first_request_incl_sessions_ms"), "ms");
    Map<String, Object> u = (Map<String, Object>) r.get("unet_call");
    if (u != null) {
      for (Map.Entry<String, Object> e : u.entrySet()) {
        boolean mb = e.getKey().endsWith("_mb");
        row(s, "UNet call, " + e.getKey().replace("_ms", "").replace("_mb", "").replace('_', ' '), e.getValue(), mb ? "MB" : "ms");
      }
    }
    row(s, "GPU memory before the pipeline (nvidia-smi)", r.get("gpu_memory_before_mib"), "MiB");
    row(s, "GPU memory with the sessions open, nothing run", r.get("gpu_memory_after_sessions_mib"), "MiB");
    row(s, "GPU memory after the first request", r.get("gpu_memory_after_first_request_mib"), "MiB");
    row(s, "peak GPU memory, 1-image requests (nvidia-smi)", r.get("peak_gpu_mib_1_image"), "MiB");
    row(s, "peak GPU memory, all requests", r.get("peak_gpu_mib_all"), "MiB");
    if (r.get("memory_probe") instanceof Map<?, ?> probe) {
      probe.forEach((k, v) -> row(s, "memory probe: " + String.valueOf(k).replace('_', ' '), v, ""));
    }
    s.append("\n| request | min | median | ms per CFG step (median) | phases, median ms |\n|---|---|---|---|---|\n");
    for (Map<String, Object> c : (List<Map<String, Object>>) r.get("requests")) {
      Map<String, Object> phases = (Map<String, Object>) c.getOrDefault("phase_median_ms", Map.of());
      StringBuilder ph = new StringBuilder();
      phases.forEach((k, v) -> ph.append(ph.length() == 0 ? "" : ", ").append(k).append(' ')
          .append(String.format(Locale.ROOT, "%.0f", num(v))));
      s.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.2f ms | %s |%n", c.get("case"), num(c.get("min_ms")),
          num(c.get("median_ms")), num(c.get("cfg_step_median_ms")), ph));
    }
    Map<String, Object> ref = (Map<String, Object>) r.get("reference");
    if (ref != null) {
      s.append("\n| agreement with ").append(ref.get("package")).append(" | value |\n|---|---|\n");
      for (Map.Entry<String, Object> e : ref.entrySet()) if (!e.getKey().equals("package")) row(s, e.getKey(), e.getValue(), "");
    }
    return s.toString();
  }

  private static void row(StringBuilder s, String name, Object v, String unit) {
    String value = v instanceof Double d ? String.format(Locale.ROOT, d >= 100 ? "%.0f" : d >= 1 ? "%.2f" : "%.3g", d) : String.valueOf(v);
    s.append("| ").append(name).append(" | ").append(value).append(unit.isEmpty() ? "" : " " + unit).append(" |\n");
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
