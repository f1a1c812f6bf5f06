package io.anytext2.sdk.prep;

/** A pixel position: column {@code x}, row {@code y}. */
public record IntPoint(int x, int y) {}
