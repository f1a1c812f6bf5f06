package io.anytext2.sdk.sched;

/**
 * Result of one DDIM step: the predicted clean latent and the latent handed to the next step (both
 * freshly allocated, owned by the caller).
 */
public record DdimStep(float[] predX0, float[] xPrev) {}
