package io.anytext2.trainer.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.GlyphRenderer;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Synthetic AnyWord-3M data: 1-3 text lines (built-in Latin, Chinese and Korean vocabularies,
 * bundled fonts, some vertical Chinese) rotated and perspective-warped onto random backgrounds, in
 * colours that contrast with what lies under them; written as images plus one annotation file in
 * the format {@link AnyWordDataset} reads (TRAINING.md §1). Image {@code i} depends only on
 * (seed, i, size, scripts), so output is identical for any thread count.
 */
public final class SyntheticAnyWord {

  public static final String JSON_NAME = "anyword.json";
  public static final String IMAGE_DIR = "images";
  /** Images rendered per parallel chunk (bounds memory for large counts). */
  private static final int CHUNK = 256;
  private static final long STREAM = 0x5F17L;

  /** Scripts of the built-in vocabularies and the annotation language they are written as. */
  public enum Script {
    LATIN(Languages.LATIN), CHINESE(Languages.CHINESE), KOREAN(Languages.KOREAN);

    final String language;

    Script(String language) {
      this.language = language;
    }

    /** Parses "latin,cjk,korean" (cjk = chinese = zh, korean = ko). */
    public static List<Script> parseList(String csv) {
      Set<Script> out = new LinkedHashSet<>();
      for (String part : csv.split(",")) {
        String p = part.strip().toLowerCase(Locale.ROOT);
        switch (p) {
          case "latin", "en", "english" -> out.add(LATIN);
          case "cjk", "chinese", "zh" -> out.add(CHINESE);
          case "korean", "ko" -> out.add(KOREAN);
          default -> throw new IllegalArgumentException(
              "expected languages among latin, cjk (chinese), korean, found \"" + part.strip() + "\"");
        }
      }
      return List.copyOf(out);
    }
  }

  public enum Format {
    PNG("png"), JPEG("jpg");

    final String extension;

    Format(String extension) {
      this.extension = extension;
    }
  }

  public record Options(int size, long seed, List<Script> scripts, Layout layout) {
    public Options {
      if (size < 32) {
        throw new IllegalArgumentException("expected an image size of at least 32 px, found " + size);
      }
      if (scripts.isEmpty()) {
        throw new IllegalArgumentException("expected at least one language, found none");
      }
      scripts = List.copyOf(scripts);
    }

    public Options(int size, long seed, List<Script> scripts) {
      this(size, seed, scripts, Layout.DEFAULT);
    }
  }

  /**
   * How much text an image gets: up to {@code maxLines} lines of up to {@code maxWords} Latin words
   * (Chinese and Korean lines keep their own lengths), each of an ink height drawn uniformly from
   * [{@code minHeight}, {@code maxHeight}] times the image side. The default (1-3 lines, 1-3 words,
   * 6-18 %) mimics AnyWord's mix; small native sizes need fewer, larger words to stay legible after the
   * VAE's 8x downsampling (the default model uses 1-2 lines of one word at 18-32 %). {@code simple}
   * draws plain backgrounds (a flat or gradient fill: no shapes, no grain) and near-upright lines
   * without perspective: the easy regime in which a tiny model trained for minutes can learn letters.
   * {@code upper} makes every Latin line one upper-case word of 3-6 letters (half vocabulary words, half
   * random letters; {@code maxWords} is then ignored): 26 shapes instead of 90-odd, in every combination.
   * {@code glyphAligned} draws every line the way training and the SDK draw its glyph hint (the rendering face fitted
   * into the line's polygon, {@code draw_glyph2}), so that the image's ink and the ControlNet's glyph input coincide
   * pixel for pixel: a tiny model trained from scratch then only has to copy and colour the glyphs, instead of
   * learning a second font's shapes and spacing from a hint that does not line up (not in the original, whose data are
   * photographs).
   */
  public record Layout(int maxLines, int maxWords, double minHeight, double maxHeight, boolean simple, boolean upper,
      boolean glyphAligned) {
    public static final Layout DEFAULT = new Layout(3, 3, 0.06, 0.18, false, false);

    public Layout(int maxLines, int maxWords, double minHeight, double maxHeight, boolean simple, boolean upper) {
      this(maxLines, maxWords, minHeight, maxHeight, simple, upper, false);
    }

    public Layout {
      if (maxLines < 1 || maxLines > 5) {
        throw new IllegalArgumentException("expected 1-5 lines per image, found " + maxLines);
      }
      if (maxWords < 1 || maxWords > 3) {
        throw new IllegalArgumentException("expected 1-3 words per line, found " + maxWords);
      }
      if (!(minHeight > 0 && minHeight <= maxHeight && maxHeight <= 0.5)) {
        throw new IllegalArgumentException(
            "expected text heights 0 < min <= max <= 0.5 of the image side, found " + minHeight + "," + maxHeight);
      }
    }
  }

  /** One line as annotated: polygon (the stamped quadrilateral), text, language, colour, valid. */
  public record SynthLine(Polygon polygon, String text, String language, int[] color, boolean valid) {}

  /** One synthetic image, the background it was drawn on, and its annotations. */
  public record Rendered(RgbImage image, RgbImage background, String caption, List<SynthLine> lines) {}

  /** What {@link #write} produced. */
  public record Summary(Path json, int images, int lines, int invalidLines, double seconds) {}

  private final Options options;
  private final FontFace latinFace;
  private final FontFace cjkFace;
  /** The glyph hint's face and renderer ({@link Layout#glyphAligned}); null otherwise. */
  private final LinePlacer.GlyphInk glyphInk;

  public SyntheticAnyWord(Options options, FontLibrary fonts) {
    this.options = options;
    this.latinFace = fonts.faces().get(0);
    this.cjkFace = fonts.faces().get(1);
    this.glyphInk = options.layout().glyphAligned()
        ? new LinePlacer.GlyphInk(new GlyphRenderer(fonts), fonts.renderingFace()) : null;
  }

  public SyntheticAnyWord(Options options) {
    this(options, FontLibrary.bundled());
  }

  /** Renders image {@code index}. */
  public Rendered render(int index) {
    Drawn d = draw(index);
    return new Rendered(rgb(d.image()), rgb(d.background()), d.caption(), d.lines());
  }

  /** A rendering as packed-RGB images (what is written to disk, without conversion). */
  private record Drawn(BufferedImage image, BufferedImage background, String caption, List<SynthLine> lines) {}

  private Drawn draw(int index) {
    int size = options.size();
    Random rng = new Random(Seeds.derive(options.seed(), STREAM, index));
    Layout layout = options.layout();
    SyntheticBackgrounds.Background bg = SyntheticBackgrounds.draw(size, rng, layout.simple());
    int[] background = pixels(bg.image());
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int[] canvas = pixels(out);
    System.arraycopy(background, 0, canvas, 0, canvas.length);
    LinePlacer placer = new LinePlacer(size, background, canvas, rng, layout.simple(), glyphInk);
    List<SynthLine> lines = new ArrayList<>();
    int n = 1 + rng.nextInt(layout.maxLines());
    for (int k = 0; k < n; k++) {
      Script script = options.scripts().get(rng.nextInt(options.scripts().size()));
      String text = switch (script) {
        case LATIN -> layout.upper() ? SyntheticWords.latinUpper(rng) : SyntheticWords.latin(rng, layout.maxWords());
        case CHINESE -> SyntheticWords.chinese(rng);
        case KOREAN -> SyntheticWords.korean(rng);
      };
      FontFace face = script == Script.LATIN && rng.nextBoolean() ? latinFace : cjkFace;
      if (glyphInk != null) face = glyphInk.face(); // the hint's face: what the line is drawn with decides its quad
      boolean vertical = script == Script.CHINESE && rng.nextInt(6) == 0;
      double height = size * (layout.minHeight() + (layout.maxHeight() - layout.minHeight()) * rng.nextDouble());
      SynthLine line = placer.place(face, text, script.language, height, vertical, true, k == 0);
      if (line != null) {
        lines.add(line);
      }
    }
    if (size >= 256 && rng.nextInt(7) == 0) {
      // a tiny, illegible line marked valid:false, as AnyWord's "###" annotations (§1.3)
      SynthLine tiny = placer.place(latinFace, SyntheticWords.latin(rng), Languages.LATIN, 6 + rng.nextInt(3), false, false, false);
      if (tiny != null) {
        lines.add(tiny);
      }
    }
    return new Drawn(out, bg.image(), caption(bg.description(), lines), lines);
  }

  private static int[] pixels(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  /** Packed RGB → interleaved bytes (no colour management: both are sRGB). */
  private static RgbImage rgb(BufferedImage img) {
    int[] px = pixels(img);
    byte[] out = new byte[px.length * 3];
    for (int i = 0; i < px.length; i++) {
      out[3 * i] = (byte) (px[i] >> 16);
      out[3 * i + 1] = (byte) (px[i] >> 8);
      out[3 * i + 2] = (byte) px[i];
    }
    return new RgbImage(img.getWidth(), img.getHeight(), out);
  }

  private static final String[] COUNTS = {"no", "one", "two", "three", "four"};

  private static String caption(String background, List<SynthLine> lines) {
    List<SynthLine> valid = lines.stream().filter(SynthLine::valid).toList();
    Set<String> colours = new LinkedHashSet<>();
    Set<String> languages = new LinkedHashSet<>();
    for (SynthLine l : valid) {
      int[] c = l.color();
      colours.add(SyntheticBackgrounds.colorName(c[0], c[1], c[2]));
      languages.add(switch (l.language()) {
        case Languages.CHINESE -> "Chinese";
        case Languages.KOREAN -> "Korean";
        default -> "English";
      });
    }
    StringBuilder sb = new StringBuilder(Character.toUpperCase(background.charAt(0)) + background.substring(1));
    int n = valid.size();
    sb.append(", showing ").append(COUNTS[Math.min(n, 4)]).append(n == 1 ? " line" : " lines").append(" of ")
        .append(String.join(" and ", colours)).append(" text");
    if (!languages.isEmpty()) {
      sb.append(" in ").append(String.join(" and ", languages));
    }
    return sb.append('.').toString();
  }

  /**
   * Renders images {@code 0..count-1} into {@code outDir/images/} and writes {@code
   * outDir/anyword.json} (data_root "images", relative to the file).
   */
  public Summary write(Path outDir, int count, Format format, int threads) {
    if (count < 1) {
      throw new IllegalArgumentException("expected a count >= 1, found " + count);
    }
    long t0 = System.nanoTime();
    Path images = outDir.resolve(IMAGE_DIR);
    Path json = outDir.resolve(JSON_NAME);
    Path tmp = outDir.resolve(JSON_NAME + ".tmp");
    int lines = 0;
    int invalid = 0;
    ObjectMapper mapper = new ObjectMapper();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      Files.createDirectories(images);
      try (OutputStream os = Files.newOutputStream(tmp);
          JsonGenerator gen = mapper.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
        gen.writeStartObject();
        gen.writeStringField("data_root", IMAGE_DIR);
        gen.writeArrayFieldStart("data_list");
        for (int start = 0; start < count; start += CHUNK) {
          List<Future<Written>> chunk = new ArrayList<>();
          for (int i = start; i < Math.min(count, start + CHUNK); i++) {
            final int index = i;
            chunk.add(pool.submit(() -> renderAndSave(index, images, format)));
          }
          for (Future<Written> f : chunk) {
            Written w = f.get();
            writeEntry(gen, w);
            lines += w.lines().size();
            invalid += (int) w.lines().stream().filter(l -> !l.valid()).count();
          }
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
      Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic data to " + outDir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing synthetic data", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u;
      }
      throw new IllegalStateException("synthetic image failed: " + cause.getMessage(), cause);
    } finally {
      pool.shutdownNow();
    }
    return new Summary(json, count, lines, invalid, (System.nanoTime() - t0) / 1e9);
  }

  private record Written(String name, String caption, List<SynthLine> lines) {}

  private Written renderAndSave(int index, Path images, Format format) {
    Drawn d = draw(index);
    String name = String.format(Locale.ROOT, "%07d.%s", index, format.extension);
    ImageFiles.write(d.image(), images.resolve(name), format);
    return new Written(name, d.caption(), d.lines());
  }

  private static void writeEntry(JsonGenerator gen, Written w) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("img_name", w.name());
    gen.writeStringField("caption", w.caption());
    gen.writeArrayFieldStart("annotations");
    for (SynthLine l : w.lines()) {
      gen.writeStartObject();
      gen.writeArrayFieldStart("polygon");
      int[] xy = l.polygon().toXy();
      for (int i = 0; i < xy.length; i += 2) {
        gen.writeArray(xy, i, 2);
      }
      gen.writeEndArray();
      gen.writeStringField("text", l.text());
      gen.writeStringField("language", l.language());
      gen.writeFieldName("color");
      gen.writeArray(l.color(), 0, 3);
      gen.writeBooleanField("valid", l.valid());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
    gen.writeRaw('\n');
  }
}
