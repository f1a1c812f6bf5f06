package io.anytext2.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.SortPriority;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The request file of {@code --request} and the sidecar written next to every output: the same
 * fields, so a sidecar can be fed back to reproduce a picture. Paths are relative to the file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RequestJson(
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
  record Line(String text, List<Integer> position, String font, String color) {}

  /** What a run produced (sidecar only). */
  record Result(String model, String provider, int steps, long millis, List<String> files, List<List<Integer>> positions) {}

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  static RequestJson read(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) throw new IllegalArgumentException("request file " + file + " does not exist");
    try {
      return JSON.readValue(file.toFile(), RequestJson.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("request file " + file + " is not valid: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("request file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** The request this file describes; relative paths resolve against {@code base}. */
  AnyText2Request toRequest(Path base) {
    boolean edit = "edit".equalsIgnoreCase(mode) || (mode == null && image != null);
    AnyText2Request.Builder b = edit
        ? AnyText2Request.edit(RequestOptions.readImage(base.resolve(require(image, "image")), "image"), prompt)
        : AnyText2Request.generate(prompt);
    if (lines != null) {
      for (Line l : lines) {
        TextLine t = TextLine.of(require(l.text(), "lines[].text"));
        if (l.position() != null) t = t.at(Polygon.of(l.position().stream().mapToInt(Integer::intValue).toArray()));
        if (l.font() != null) {
          FontChoice f = FontChoice.parse(l.font());
          t = t.withFont(f instanceof FontChoice.File file ? new FontChoice.File(base.resolve(file.path())) : f);
        }
        if (l.color() != null) t = t.withColor(Rgb.parse(l.color()));
        b.line(t);
      }
    }
    if (mask != null) b.positionImage(RequestOptions.readImage(base.resolve(mask), "mask"));
    if (width != null || height != null) b.size(width == null ? 512 : width, height == null ? 512 : height);
    if (steps != null) b.steps(steps);
    if (cfg != null) b.cfgScale(cfg);
    if (attnxScale != null) b.attnxScale(attnxScale);
    if (strength != null) b.strength(strength);
    if (eta != null) b.eta(eta);
    if (seed != null) b.seed(seed);
    if (count != null) b.count(count);
    if (blend != null) b.blend(blend);
    if (sort != null) b.sortPriority(sort.equals("left-right") ? SortPriority.LEFT_RIGHT : SortPriority.TOP_DOWN);
    return b.textPrompt(textPrompt).negativePrompt(negativePrompt).addedPrompt(addedPrompt).build();
  }

  /** The sidecar of a finished run (mask/image paths as given). */
  static RequestJson sidecar(AnyText2Request r, GenerationResult res, String maskPath, String imagePath, Result result) {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < res.lines().size(); i++) {
      TextLine given = i < r.lines().size() ? r.lines().get(i) : null;
      Polygon p = given == null ? null : given.position(); // where the run put every line is in result.positions
      lines.add(new Line(res.lines().get(i), p == null ? null : box(p), given == null ? null : fontName(given.font()),
          given == null || given.color() == null ? null : given.color().r() + "," + given.color().g() + "," + given.color().b()));
    }
    boolean edit = r.mode() == AnyText2Request.Mode.EDIT;
    var s = r.sampling();
    return new RequestJson(edit ? "edit" : "generate", r.prompt(), r.textPrompt(), r.negativePrompt(), r.addedPrompt(), lines,
        maskPath, imagePath, edit ? null : r.width(), edit ? null : r.height(), s.steps(), s.cfgScale(), s.attnxScale(), s.strength(),
        s.eta(), res.seed(), r.count(), r.sortPriority() == SortPriority.LEFT_RIGHT ? "left-right" : "top-down",
        edit ? r.blend() : null, result);
  }

  private static List<Integer> box(Polygon p) {
    List<Integer> out = new ArrayList<>();
    for (int v : p.toXy()) out.add(v);
    return out;
  }

  private static String fontName(FontChoice f) {
    if (f instanceof FontChoice.Bundled b) return b.name();
    if (f instanceof FontChoice.File file) return file.path().toAbsolutePath().toString();
    return null;
  }

  private static <T> T require(T v, String field) {
    if (v == null) throw new IllegalArgumentException("request file: '" + field + "' is missing");
    return v;
  }
}
