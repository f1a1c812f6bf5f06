package io.anytext2.server;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Counters, gauges and histograms of the service in the Prometheus text format (version 0.0.4). */
final class Metrics {
  /** Job latency buckets in seconds: from a tiny model on CPU (tens of ms) to SD1.5 at 1024² on CPU (minutes). */
  private static final double[] SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

  private final Map<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> jobs = new ConcurrentHashMap<>();
  private final Histogram jobSeconds = new Histogram(SECONDS);
  private final Histogram queueSeconds = new Histogram(SECONDS);
  final AtomicInteger httpInFlight = new AtomicInteger();

  /** A served HTTP request: its route (a fixed name, never the raw path) and status. */
  void http(String route, int status) {
    httpRequests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
  }

  /** A job that ended ({@code outcome}: done, failed, timed_out, cancelled, rejected). */
  void jobFinished(String outcome, double queuedSeconds, double totalSeconds) {
    jobs.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    if (!outcome.equals("rejected")) {
      jobSeconds.observe(totalSeconds);
      queueSeconds.observe(queuedSeconds);
    }
  }

  long jobs(String outcome) {
    LongAdder a = jobs.get(outcome);
    return a == null ? 0 : a.sum();
  }

  /** What the server knows about itself when scraped. */
  record Snapshot(boolean loaded, String model, String provider, int waiting, int queueCapacity, int running, int workers) {}

  String render(Snapshot s) {
    StringBuilder b = new StringBuilder(4096);
    header(b, "anytext2_http_requests_total", "counter", "HTTP requests served, by route and status code");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(httpRequests).entrySet()) {
      String[] k = e.getKey().split("\u0000");
      b.append("anytext2_http_requests_total{route=\"").append(k[0]).append("\",code=\"").append(k[1]).append("\"} ")
          .append(e.getValue().sum()).append('\n');
    }
    header(b, "anytext2_jobs_total", "counter", "generate/edit jobs by outcome (done, failed, timed_out, cancelled, rejected)");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(jobs).entrySet()) {
      b.append("anytext2_jobs_total{outcome=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum()).append('\n');
    }
    jobSeconds.render(b, "anytext2_job_duration_seconds", "time from arrival to result of jobs that were not rejected");
    queueSeconds.render(b, "anytext2_job_queue_wait_seconds", "time jobs waited for a worker");
    gauge(b, "anytext2_queue_depth", "jobs waiting for a worker", s.waiting());
    gauge(b, "anytext2_queue_capacity", "most jobs that may wait", s.queueCapacity());
    gauge(b, "anytext2_jobs_in_flight", "jobs running now", s.running());
    gauge(b, "anytext2_workers", "jobs that may run at once", s.workers());
    gauge(b, "anytext2_http_in_flight", "HTTP requests being handled now", httpInFlight.get());
    gauge(b, "anytext2_model_loaded", "1 once the model is loaded and requests are taken", s.loaded() ? 1 : 0);
    header(b, "anytext2_info", "gauge", "the loaded model and where it runs");
    b.append("anytext2_info{model=\"").append(label(s.model())).append("\",provider=\"").append(label(s.provider())).append("\"} 1\n");
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    gauge(b, "jvm_memory_heap_used_bytes", "Java heap in use", heap.getUsed());
    gauge(b, "jvm_memory_heap_committed_bytes", "Java heap committed", heap.getCommitted());
    gauge(b, "jvm_memory_heap_max_bytes", "Java heap limit (-Xmx)", heap.getMax());
    gauge(b, "jvm_memory_nonheap_used_bytes", "JVM non-heap in use (metaspace, code cache)", nonHeap.getUsed());
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) gauge(b, "jvm_buffer_pool_direct_used_bytes", "direct NIO buffers", pool.getMemoryUsed());
    }
    gauge(b, "jvm_threads_live", "live JVM threads", ManagementFactory.getThreadMXBean().getThreadCount());
    // native memory of ONNX Runtime is outside every JVM pool: the resident set is the honest total
    long rss = ProcessMemory.residentBytes();
    if (rss >= 0) gauge(b, "process_resident_memory_bytes", "resident set size (VmRSS): heap + native (ONNX Runtime) memory", rss);
    long vsz = ProcessMemory.virtualBytes();
    if (vsz >= 0) gauge(b, "process_virtual_memory_bytes", "virtual memory size (VmSize)", vsz);
    return b.toString();
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, double v) {
    header(b, name, "gauge", help);
    b.append(name).append(' ').append(number(v)).append('\n');
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String label(String v) {
    return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A cumulative-bucket histogram; buckets are counted separately and summed when rendered. */
  static final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds.clone();
      this.counts = new LongAdder[bounds.length + 1];
      for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
    }

    void observe(double v) {
      int i = 0;
      while (i < bounds.length && v > bounds[i]) i++;
      counts[i].increment();
      count.increment();
      sum.add(v);
    }

    void render(StringBuilder b, String name, String help) {
      header(b, name, "histogram", help);
      long cumulative = 0;
      for (int i = 0; i < counts.length; i++) {
        cumulative += counts[i].sum();
        String le = i < bounds.length ? number(bounds[i]) : "+Inf";
        b.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
      }
      b.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.6f", sum.sum())).append('\n');
      b.append(name).append("_count ").append(count.sum()).append('\n');
    }
  }
}
