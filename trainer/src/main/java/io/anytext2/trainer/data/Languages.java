package io.anytext2.trainer.data;

import java.util.List;
import java.util.Set;

/**
 * The language names of AnyWord-3M annotations (TRAINING.md §1.3) and their load-time
 * normalisation (§1.6): {@code Chinese} becomes {@code Chinese_tra} when the text holds
 * Traditional-only characters, else {@code Chinese_sim}.
 *
 * <p>Deviation: the original decides with OpenCC's full {@code t2s} conversion; here a table of
 * about 330 frequent Traditional-only characters decides, so rare Traditional characters can be
 * labelled simplified. The label only chooses the font list (both lists are the same bundled CJK
 * face here) and names the line for the OCR-loss weight, which is 1.0 for both (§3.5.2).
 */
public final class Languages {

  public static final String LATIN = "Latin";
  public static final String CHINESE = "Chinese";
  public static final String CHINESE_SIM = "Chinese_sim";
  public static final String CHINESE_TRA = "Chinese_tra";
  public static final String JAPANESE = "Japanese";
  public static final String KOREAN = "Korean";
  public static final String ARABIC = "Arabic";
  public static final String HINDI = "Hindi";
  public static final String BANGLA = "Bangla";

  /** Normalised names (what {@link TextAnnotation#language()} holds). */
  public static final List<String> ALL =
      List.of(LATIN, CHINESE_SIM, CHINESE_TRA, JAPANESE, KOREAN, ARABIC, HINDI, BANGLA);

  /** Names accepted in annotation files. */
  public static final Set<String> ACCEPTED =
      Set.of(LATIN, CHINESE, CHINESE_SIM, CHINESE_TRA, JAPANESE, KOREAN, ARABIC, HINDI, BANGLA);

  /** Frequent characters that exist only in Traditional Chinese (their Simplified forms differ). */
  private static final String TRADITIONAL_ONLY =
      "這個們來時會說對學國為後過還發開關門問間體經點從車東長見現當與電業實機書動頭種應產義處區無樂議號"
          + "邊變歷師傳將給話讓該錢價際運進連選達遠適網絲綠紅約級紀線練組結統總續織習聽聲職腦腳興舊藝蘇華萬"
          + "葉蟲術衛製規視親覺觀計訂認討訓記設許論試詩誠誤請調談讀課誰貝負財貨質購費資賣賽趙趕軍轉輕較輪輸"
          + "辦農郵鄉醫釋鐵鋼錯鍵閱隊陽陰險隨難雙雞雲靈靜響頁項順須領題顏願類風飛飯館馬驗髮鬥魚鳥齊齒龍龜"
          + "廣廠張彈強歸幾麼愛戰懷態憶擁擊擇擔據擴攝數斷條極標樣樹橋檢權歡氣漢潔澤濟灣燈燒熱爭爺獨獲環"
          + "畫療盡監盤礎確禮穩窮筆節範築簡籃糧紙細終絕綜緊編緣縣罰聖聯膽臉臨蘭衝補裝複訊證識護讚豐貓貿"
          + "賓軟輛辭鄰醬釣銀鋪鎮鐘陸隻雜離霧韓頂預頓頻顯飲餅養騎驚鬧麗黃黨歲買寫聞藥團園圖場塊壞壓報夢"
          + "奮婦媽孫寶專尋導層屬島帶幣幫庫慣憂戲戶員啟單嚴傷僅億優兒內兩冊劃劍勞勝勢勵協卻參叢吳呂嗎喚圍"
          + "執堅塵墳壯";

  private Languages() {}

  /**
   * The normalised name of an annotation's language for its text.
   *
   * @throws IllegalArgumentException for a name outside {@link #ACCEPTED}
   */
  public static String normalise(String language, String text) {
    if (!ACCEPTED.contains(language)) {
      throw new IllegalArgumentException(
          "expected a language among " + ACCEPTED.stream().sorted().toList() + ", found \"" + language + "\"");
    }
    if (!language.equals(CHINESE)) {
      return language;
    }
    return isTraditional(text) ? CHINESE_TRA : CHINESE_SIM;
  }

  /** Whether the text contains a character of the Traditional-only table. */
  public static boolean isTraditional(String text) {
    return text.codePoints().anyMatch(cp -> TRADITIONAL_ONLY.indexOf(cp) >= 0);
  }
}
