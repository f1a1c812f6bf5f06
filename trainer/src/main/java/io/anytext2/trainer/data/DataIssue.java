package io.anytext2.trainer.data;

import java.nio.file.Path;

/**
 * A problem with one sample that made it be skipped: a malformed annotation entry at load time or
 * an unreadable image at sample time. Never fatal; collected and counted.
 *
 * @param source the annotation file
 * @param index the entry's position in the file's {@code data_list} (-1 when unknown)
 * @param message one line saying what is wrong ("expected …, found …")
 */
public record DataIssue(Path source, int index, String message) {

  @Override
  public String toString() {
    return (source == null ? "?" : source.getFileName()) + " entry " + index + ": " + message;
  }
}
