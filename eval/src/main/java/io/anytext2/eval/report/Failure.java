package io.anytext2.eval.report;

/** Something that could not be generated or scored: the image (or entry) and why. */
public record Failure(String item, String reason) {}
