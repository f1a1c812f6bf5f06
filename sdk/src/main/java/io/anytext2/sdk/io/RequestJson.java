package io.anytext2.sdk.io;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.prep.SortPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The request JSON: the file of the command line's {@code --request}, the sidecar written next to
 * every output, and the body of the HTTP service's {@code /api/generate} and {@code /api/edit} — the
 * same fields everywhere, so a sidecar can be fed back to reproduce a picture. What {@code image},
 * {@code mask} and a line's {@code font} refer to is decided by an {@link Inputs}: files relative to
 * the request file on the command line, inline picture data and bundled font names only over HTTP.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestJson(
    String mode,
    String prompt,
    @JsonProperty("text_prompt") String textPrompt,
    @JsonProperty("negative_prompt") String negativePrompt,
    @JsonProperty("added_prompt") String addedPrompt,
    List<Line> lines,
    String mask,
    String image,
    Integer width,
    Integer height,
    Integer steps,
    Float cfg,
    @JsonProperty("attnx_scale") Float attnxScale,
    Float strength,
    Double eta,
    Long seed,
    Integer count,
    String sort,
    Boolean blend,
    Result result) {

  /** One text line: text, optional polygon [x1,y1,...], font (bundled name or file), colour "R,G,B". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Line(String text, List<Integer> position, String font, String color) {}

  /** What a run produced (sidecar only). */
  public record Result(String model, String provider, int steps, long millis, List<String> files, List<List<Integer>> positions) {}

  /** Turns the {@code image}/{@code mask} values and font names of a request into pictures and fonts. */
  public interface Inputs {
    /** The picture a field ("image" or "mask") refers to. */
    RgbImage image(String field, String value);

    /** The font a line names. */
    FontChoice font(String value);
  }

  /** Indented output (sidecars); unknown fields are an error, so typos do not pass silently. */
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  public static RequestJson read(Path file) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("request file " + file + " does not exist");
    try {
      return JSON.readValue(file.toFile(), RequestJson.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request file " + file + " is not valid: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new IllegalArgumentException("request file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** Parses a request from JSON bytes ({@code what} names the source in errors). */
  public static RequestJson parse(byte[] json, String what) {
    try {
      RequestJson r = JSON.readValue(json, RequestJson.class);
      if (r == null) throw new IllegalArgumentException(what + " is empty: expected a JSON object");
      return r;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage());
    }
  }

  /** Files relative to {@code base}: pictures by path, fonts by bundled name or font file (the command line). */
  public static Inputs files(Path base) {
    return new Inputs() {
      @Override
      public RgbImage image(String field, String value) {
        return ImageFiles.read(base.resolve(value), field);
      }

      @Override
      public FontChoice font(String value) {
        FontChoice f = FontChoice.parse(value);
        return f instanceof FontChoice.File file ? new FontChoice.File(base.resolve(file.path())) : f;
      }
    };
  }

  /** Whether this describes an edit: {@code mode} says so, or it has no mode but an image. */
  @JsonIgnore
  public boolean isEdit() {
    return "edit".equalsIgnoreCase(mode) || (mode == null && image != null);
  }

  /** The same request with mode, image and mask replaced (e.g. by references to uploaded parts). */
  public RequestJson withInputs(String newMode, String newImage, String newMask) {
    return new RequestJson(newMode, prompt, textPrompt, negativePrompt, addedPrompt, lines, newMask, newImage, width, height, steps,
        cfg, attnxScale, strength, eta, seed, count, sort, blend, result);
  }

  /** The request this file describes; relative paths resolve against {@code base}. */
  public AnyText2Request toRequest(Path base) {
    return toRequest(files(base));
  }

  /** The request this JSON describes, with pictures and fonts from {@code inputs}. */
  public AnyText2Request toRequest(Inputs inputs) {
    if (mode != null && !mode.equalsIgnoreCase("edit") && !mode.equalsIgnoreCase("generate")) {
      throw new IllegalArgumentException("mode must be generate or edit, found '" + mode + "'");
    }
    AnyText2Request.Builder b = isEdit()
        ? AnyText2Request.edit(inputs.image("image", require(image, "image")), prompt)
        : AnyText2Request.generate(prompt);
    if (lines != null) {
      for (Line l : lines) {
        if (l == null) throw new IllegalArgumentException("request: 'lines' holds a null entry");
        TextLine t = TextLine.of(require(l.text(), "lines[].text"));
        if (l.position() != null) t = t.at(polygon(l.position()));
        if (l.font() != null) t = t.withFont(inputs.font(l.font()));
        if (l.color() != null) t = t.withColor(Rgb.parse(l.color()));
        b.line(t);
      }
    }
    if (mask != null) b.positionImage(inputs.image("mask", mask));
    // a side not given stays 0: the model's native size, filled in where the package is known
    b.size(width == null ? 0 : width, height == null ? 0 : height);
    if (steps != null) b.steps(steps);
    if (cfg != null) b.cfgScale(cfg);
    if (attnxScale != null) b.attnxScale(attnxScale);
    if (strength != null) b.strength(strength);
    if (eta != null) b.eta(eta);
    if (seed != null) b.seed(seed);
    if (count != null) b.count(count);
    if (blend != null) b.blend(blend);
    if (sort != null) b.sortPriority(sortPriority(sort));
    return b.textPrompt(textPrompt).negativePrompt(negativePrompt).addedPrompt(addedPrompt).build();
  }

  /** The sidecar of a finished run (mask/image as given). */
  public static RequestJson sidecar(AnyText2Request r, GenerationResult res, String maskPath, String imagePath, Result result) {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < res.lines().size(); i++) {
      TextLine given = i < r.lines().size() ? r.lines().get(i) : null;
      Polygon p = given == null ? null : given.position(); // where the run put every line is in result.positions
      lines.add(new Line(res.lines().get(i), p == null ? null : xy(p), given == null ? null : fontName(given.font()),
          given == null || given.color() == null ? null : given.color().r() + "," + given.color().g() + "," + given.color().b()));
    }
    boolean edit = r.mode() == AnyText2Request.Mode.EDIT;
    var s = r.sampling();
    return new RequestJson(edit ? "edit" : "generate", r.prompt(), r.textPrompt(), r.negativePrompt(), r.addedPrompt(), lines,
        maskPath, imagePath, edit || r.width() == 0 ? null : r.width(), edit || r.height() == 0 ? null : r.height(), s.steps(), s.cfgScale(), s.attnxScale(), s.strength(),
        s.eta(), res.seed(), r.count(), r.sortPriority() == SortPriority.LEFT_RIGHT ? "left-right" : "top-down",
        edit ? r.blend() : null, result);
  }

  /** Where every line of a result went, as [x1,y1,x2,y2,…] lists (empty where a line has none). */
  public static List<List<Integer>> positions(GenerationResult res) {
    List<List<Integer>> out = new ArrayList<>();
    for (Polygon p : res.positions()) out.add(p == null ? List.of() : xy(p));
    return out;
  }

  private static Polygon polygon(List<Integer> xy) {
    if (xy.size() < 6 || xy.size() % 2 != 0) {
      throw new IllegalArgumentException("a line position must be x1,y1,x2,y2,x3,y3[,...] (at least 3 points), found "
          + xy.size() + " numbers");
    }
    int[] v = new int[xy.size()];
    for (int i = 0; i < v.length; i++) {
      if (xy.get(i) == null) throw new IllegalArgumentException("a line position holds a null coordinate");
      v[i] = xy.get(i);
    }
    return Polygon.of(v);
  }

  private static SortPriority sortPriority(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "top-down", "↕" -> SortPriority.TOP_DOWN;
      case "left-right", "↔" -> SortPriority.LEFT_RIGHT;
      default -> throw new IllegalArgumentException("sort must be top-down or left-right, found '" + s + "'");
    };
  }

  private static List<Integer> xy(Polygon p) {
    List<Integer> out = new ArrayList<>();
    for (int v : p.toXy()) out.add(v);
    return out;
  }

  private static String fontName(FontChoice f) {
    if (f instanceof FontChoice.Bundled b) return b.name();
    if (f instanceof FontChoice.File file) return file.path().toAbsolutePath().toString();
    return null;
  }

  private static String firstLine(String s) {
    return s == null ? "unreadable JSON" : s.lines().findFirst().orElse(s);
  }

  private static <T> T require(T v, String field) {
    if (v == null) throw new IllegalArgumentException("request: '" + field + "' is missing");
    return v;
  }
}
