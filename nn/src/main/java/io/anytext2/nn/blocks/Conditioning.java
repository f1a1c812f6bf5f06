package io.anytext2.nn.blocks;

/**
 * What every layer of a UNet block may read besides its input: the time embedding {@code emb}
 * [B or 1, 4·model_channels], the cross-attention context [B, L, D], and the AttnX scale (rank 0;
 * may be null when no layer has AttnX).
 */
public record Conditioning<T>(T emb, T context, T attnxScale) {}
