package io.anytext2.server;

import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.FontChoice;
import io.anytext2.sdk.io.RequestJson;
import io.anytext2.sdk.prep.FontFace;
import io.anytext2.sdk.prep.FontLibrary;
import io.anytext2.sdk.prep.RgbImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an HTTP body into a validated request: the command line's request JSON (see
 * {@link RequestJson}) as the body, or as the {@code request} part of a multipart body whose
 * {@code image} and {@code mask} parts hold the pictures. Nothing a client sends names a server file:
 * pictures are inline data or uploaded parts, fonts are bundled names.
 */
final class RequestDecoder {
  /** Prompt lengths beyond any CLIP context (77 tokens, 3 chunks at most are useful): refuse, do not tokenise megabytes. */
  static final int MAX_PROMPT_CHARS = 2000;
  private static final String PART_REF = "part:";

  private final ServerConfig config;
  private final List<String> fonts;
  private final int nativeSize;

  /** {@code nativeSize}: the loaded model's picture side, the size of generate requests without width/height. */
  RequestDecoder(ServerConfig config, List<String> bundledFonts, int nativeSize) {
    this.config = config;
    this.fonts = List.copyOf(bundledFonts);
    this.nativeSize = nativeSize;
  }

  /** The names of the bundled fonts (what a line's "font" may say, besides "none"). */
  static List<String> bundledFontNames() {
    return FontLibrary.bundled().faces().stream().map(FontFace::name).distinct().toList();
  }

  List<String> fonts() {
    return fonts;
  }

  /** The request of a body sent to the endpoint of {@code mode}. */
  AnyText2Request decode(String contentType, byte[] body, AnyText2Request.Mode mode) {
    String type = contentType == null ? "application/json" : contentType.toLowerCase(Locale.ROOT).trim();
    Map<String, Multipart.Part> parts = Map.of();
    RequestJson json;
    if (type.startsWith("application/json")) {
      json = RequestJson.parse(body, "request JSON");
    } else if (type.startsWith("multipart/form-data")) {
      parts = Multipart.parse(body, Multipart.boundary(contentType));
      for (String name : parts.keySet()) {
        if (!List.of("request", "image", "mask").contains(name)) {
          throw ApiException.badRequest("multipart body: unknown part '" + name + "' (expected request, image, mask)");
        }
      }
      Multipart.Part req = parts.get("request");
      if (req == null) throw ApiException.badRequest("multipart body: the 'request' part (the request JSON) is missing");
      json = RequestJson.parse(req.data(), "request part");
    } else {
      throw new ApiException(415, "expected Content-Type application/json or multipart/form-data, found " + contentType);
    }
    String wanted = mode.name().toLowerCase(Locale.ROOT);
    if (json.mode() != null && !json.mode().equalsIgnoreCase(wanted)) {
      throw ApiException.badRequest("this endpoint does " + wanted + " but the request says mode '" + json.mode() + "'");
    }
    String image = fromPart(json.image(), parts, "image");
    String mask = fromPart(json.mask(), parts, "mask");
    if (mode == AnyText2Request.Mode.EDIT && image == null) {
      throw ApiException.badRequest("edit needs 'image': base64 picture data, or an 'image' part in a multipart body");
    }
    RequestJson resolved = json.withInputs(wanted, image, mask);
    Map<String, Multipart.Part> uploaded = parts;
    AnyText2Request request = resolved.toRequest(new RequestJson.Inputs() {
      @Override
      public RgbImage image(String field, String value) {
        byte[] data = value.startsWith(PART_REF) ? uploaded.get(value.substring(PART_REF.length())).data() : ImageCodec.base64(value, field);
        return ImageCodec.decode(data, field, config.maxPixels());
      }

      @Override
      public FontChoice font(String value) {
        return bundledFont(value);
      }
    }).withNativeSize(nativeSize); // before the limits, and so that job results report the size used
    checkLimits(request);
    return request;
  }

  private static String fromPart(String jsonValue, Map<String, Multipart.Part> parts, String name) {
    if (jsonValue != null && jsonValue.startsWith(PART_REF)) {
      throw ApiException.badRequest(name + ": '" + PART_REF + "' references are made by the service, not accepted from clients");
    }
    if (!parts.containsKey(name)) return jsonValue;
    if (jsonValue != null) throw ApiException.badRequest(name + " is given both in the request JSON and as a multipart part");
    return PART_REF + name;
  }

  /** A bundled font by name, or none; anything that looks like a path is refused. */
  FontChoice bundledFont(String value) {
    String v = value.strip();
    if (v.isEmpty() || v.equalsIgnoreCase("none")) return FontChoice.unspecified();
    for (String f : fonts) {
      if (f.equalsIgnoreCase(v) || f.replace(" ", "").equalsIgnoreCase(v.replace(" ", ""))) return new FontChoice.Bundled(f);
    }
    throw ApiException.badRequest("font '" + (v.length() > 40 ? v.substring(0, 40) + "…" : v)
        + "': this service takes a bundled font name (" + String.join(", ", fonts) + ") or none, never a file");
  }

  private void checkLimits(AnyText2Request r) {
    for (String p : new String[] {r.prompt(), r.textPrompt(), r.negativePrompt(), r.addedPrompt()}) {
      if (p != null && p.length() > MAX_PROMPT_CHARS) {
        throw ApiException.badRequest("a prompt has " + p.length() + " characters; at most " + MAX_PROMPT_CHARS + " are taken");
      }
    }
    if (r.count() > config.maxCount()) throw ApiException.badRequest("count is " + r.count() + "; this service makes at most " + config.maxCount());
    if (r.sampling().steps() > config.maxSteps()) {
      throw ApiException.badRequest("steps is " + r.sampling().steps() + "; this service runs at most " + config.maxSteps());
    }
    long w = r.mode() == AnyText2Request.Mode.EDIT ? r.image().width() : r.width();
    long h = r.mode() == AnyText2Request.Mode.EDIT ? r.image().height() : r.height();
    if (w * h * r.count() > config.maxPixels()) {
      throw new ApiException(413, "the output is " + w + "x" + h + " x " + r.count() + " images = " + w * h * r.count()
          + " pixels; this service makes at most " + config.maxPixels());
    }
  }
}
