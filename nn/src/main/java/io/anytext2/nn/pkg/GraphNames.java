package io.anytext2.nn.pkg;

/**
 * Names of the graphs in a model package and of their inputs and outputs: the one place where the
 * exporter and the SDK agree on them (MODEL.md §1.2 split into stages, §3.9 call pattern).
 */
public final class GraphNames {
  private GraphNames() {}

  /** Line embeddings: OCR of the glyph lines + position + style + colour (MODEL.md §3.5). */
  public static final String EMBEDDING = "embedding";
  public static final String EMB_IN_RECOG = "recog_batch"; // [n,3,48,320]
  public static final String EMB_IN_STYLE = "style_batch"; // [n,3,48,320]
  public static final String EMB_IN_POSITIONS = "positions"; // [n,1,H,W]
  public static final String EMB_IN_COLORS = "colors"; // [n,3] raw 0..255, 500 = unset
  public static final String EMB_OUT = "line_embeddings"; // [n,D]

  /** The frozen recognizer alone (neck features and CTC logits), for evaluation and losses. */
  public static final String OCR = "ocr_recognizer";
  public static final String OCR_IN = "image"; // [n,3,48,320]
  public static final String OCR_OUT_NECK = "neck"; // [n,40,64]
  public static final String OCR_OUT_LOGITS = "logits"; // [n,40,K]

  /** CLIP text transformer with placeholder injection (MODEL.md §3.3). */
  public static final String TEXT_ENCODER = "text_encoder";
  public static final String TXT_IN_IDS = "input_ids"; // [B,77] int64
  public static final String TXT_IN_INJECTED = "injected"; // [B,77,D]
  public static final String TXT_IN_MASK = "inject_mask"; // [B,77,1]
  public static final String TXT_OUT = "hidden_states"; // [B,77,D]

  /** ControlNet, run once per request and CFG branch (MODEL.md §3.6, §3.9). */
  public static final String CONTROLNET = "controlnet";
  public static final String CN_IN_GLYPH = "glyph_mask"; // [B,1,H,W]
  public static final String CN_IN_POSITION = "position_sum"; // [B,1,H,W]
  public static final String CN_IN_MASKED_X = "masked_x"; // [B,4,h,w]
  public static final String CN_IN_CONTEXT = "context"; // [B,77,D]
  public static final String CN_IN_STRENGTH = "strength"; // [] float
  /** Output k is named {@code control_00} … (already multiplied by strength). */
  public static String controlName(int k) {
    return String.format("control_%02d", k);
  }

  /** One UNet denoising call with AttnX, taking the control maps (MODEL.md §3.7). */
  public static final String UNET = "unet";
  public static final String UNET_IN_X = "x"; // [B,4,h,w]
  public static final String UNET_IN_T = "timestep"; // [B] float
  public static final String UNET_IN_CONTEXT = "context"; // [B,L,D]
  public static final String UNET_IN_ATTNX = "attnx_scale"; // [] float
  public static final String UNET_OUT = "eps"; // [B,4,h,w]

  /**
   * Optional: a chunk of guided DDIM steps (η = 0) in one call, an ONNX Loop whose body runs the UNet
   * on cond + uncond as one batch of 2B, guidance and the DDIM update (MODEL.md §3.9, §3.10). The
   * contexts, control maps and AttnX scale are the UNet's inputs for that batch (cond rows first) and
   * stay bound for the whole call; the per-step rows (sampling order) are the timestep per batch row
   * and the DDIM coefficients; the latent is carried from step to step. Packages without it run the
   * loop step by step with {@link #UNET}.
   */
  public static final String SAMPLER = "sampler";
  public static final String SMP_IN_X = "x"; // [B,4,h,w] latent before the first step of the chunk
  public static final String SMP_IN_TIMESTEPS = "timesteps"; // [S,2B] float, per step and batch row
  public static final String SMP_IN_SQRT_ALPHA = "sqrt_alpha"; // [S] sqrt(a_t)
  public static final String SMP_IN_SQRT_ONE_MINUS_ALPHA = "sqrt_one_minus_alpha"; // [S] sqrt(1 - a_t)
  public static final String SMP_IN_SQRT_ALPHA_PREV = "sqrt_alpha_prev"; // [S] sqrt(a_prev)
  public static final String SMP_IN_DIRECTION = "direction_scale"; // [S] sqrt(1 - a_prev - sigma^2)
  public static final String SMP_IN_CFG = "cfg_scale"; // [] float
  /**
   * The ControlNet's text contexts in sampler graphs that compute the control maps themselves (before the loop, from
   * {@link #CN_IN_GLYPH}, {@link #CN_IN_POSITION}, {@link #CN_IN_MASKED_X} and {@link #CN_IN_STRENGTH}, one image's worth
   * each): [2,77,D], the cond row first. Older sampler graphs take the maps as inputs ({@link #controlName}).
   */
  public static final String SMP_IN_CONTROL_CONTEXT = "control_context";
  public static final String SMP_OUT_X = "x_next"; // [B,4,h,w] latent after the last step
  public static final String SMP_OUT_PRED_X0 = "pred_x0"; // [B,4,h,w] pred_x0 of the last step

  /** VAE encoder: image in [-1,1] → posterior mean and clamped log-variance (unscaled). */
  public static final String VAE_ENCODER = "vae_encoder";
  public static final String VAE_ENC_IN = "image"; // [B,3,H,W]
  public static final String VAE_ENC_OUT_MEAN = "mean"; // [B,4,h,w]
  public static final String VAE_ENC_OUT_LOGVAR = "logvar"; // [B,4,h,w]

  /** VAE decoder: latent in diffusion scale (the graph divides by scale_factor) → image. */
  public static final String VAE_DECODER = "vae_decoder";
  public static final String VAE_DEC_IN = "latent"; // [B,4,h,w]
  public static final String VAE_DEC_OUT = "image"; // [B,3,H,W], not clipped

  /**
   * The VAE decoder in float32, shipped in fp16 packages as the fallback when the half-precision
   * decoder gives a non-finite or blank image (same inputs and outputs as {@link #VAE_DECODER}).
   */
  public static final String VAE_DECODER_FP32 = "vae_decoder_fp32";
}
