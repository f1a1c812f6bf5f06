package io.anytext2.sdk.prep;

/** Order of the detected text positions (MODEL.md §2.6 step 4), the demo's radio button. */
public enum SortPriority {
  /** "↕": rows of 102 px first (top-down), then columns. The default. */
  TOP_DOWN,
  /** "↔": columns of 102 px first (left-right), then rows. */
  LEFT_RIGHT;

  /** From the demo's symbol ("↕" or "↔"). */
  public static SortPriority fromSymbol(String symbol) {
    return switch (symbol) {
      case "↕" -> TOP_DOWN;
      case "↔" -> LEFT_RIGHT;
      default ->
          throw new IllegalArgumentException(
              "expected sort priority \"↕\" or \"↔\", found \"" + symbol + "\"");
    };
  }
}
