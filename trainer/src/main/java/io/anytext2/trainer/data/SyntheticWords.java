package io.anytext2.trainer.data;

import java.util.List;
import java.util.Random;

/**
 * Built-in vocabularies of the synthetic generator: sign-like English words, common simplified
 * Chinese words and characters, and common Korean words. All characters are drawable with the
 * bundled fonts (Latin is plain ASCII so both bundled faces have every glyph).
 */
final class SyntheticWords {

  private static final List<String> LATIN = List.of((
      "open close sale coffee bakery hotel market pizza burger fresh bread cake tea shop store cafe bar "
          + "restaurant garden park street avenue road exit entrance welcome hello world news daily city "
          + "music festival summer winter spring autumn love peace happy birthday party night day morning "
          + "sunday monday friday weekend special offer discount free new best quality service station "
          + "airport train bus taxi parking hospital school library museum bank post office pharmacy "
          + "fashion beauty salon studio design art gallery books wine beer juice milk fruit salad soup "
          + "grill kitchen home house family friends travel tour ocean beach mountain river lake forest "
          + "sun moon star cloud rain snow fire water stone gold silver red blue green black white "
          + "big small hot cold sweet spicy good great super mega ultra smart fast easy simple pure "
          + "organic natural local global royal grand central north south east west main first last "
          + "stop go slow danger caution warning notice private public toilet office room floor "
          + "menu order today tomorrow forever dream hope joy life time space energy power light "
          + "sport game team club center plaza tower bridge castle island village farm factory "
          + "radio video photo cinema theater show live jazz rock pop dance yoga fitness gym")
      .split(" "));
  private static final List<String> LATIN_EXTRA = List.of(
      "24/7", "$9.99", "50%", "2024", "No.1", "100%", "OPEN 24H", "#1", "3.5", "A+", "ok!", "NEW!");

  private static final List<String> CHINESE_WORDS = List.of((
      "欢迎光临 咖啡 面包 超市 餐厅 出口 入口 禁止吸烟 营业中 新品上市 特价 酒店 银行 医院 学校 公园 书店 花店 "
          + "水果 蔬菜 牛奶 早餐 午餐 晚餐 电话 地址 中国 北京 上海 广州 深圳 杭州 成都 生日快乐 新年快乐 "
          + "恭喜发财 春节 中秋节 幸福 和平 发展 创新 科技 未来 时代 城市 生活 美食 旅游 文化 艺术 音乐 电影 "
          + "体育 健康 安全 服务 质量 品牌 优惠 会员 免费 停车场 洗手间 地铁站 火车站 机场 小心地滑 请勿触摸 "
          + "注意安全 谢谢 你好 再见 大家好 火锅 烧烤 奶茶 小吃 便利店 药店 水果店 理发 干洗 快递 五金 "
          + "家具 电器 手机 数码 服装 鞋店 眼镜 美容 茶叶 烟酒 图书 文具 宠物 鲜花 蛋糕 甜品 饺子 面馆")
      .split(" "));
  /** Frequent simplified characters for random character strings. */
  private static final String CHINESE_CHARS =
      "的一是不了人我在有他中大来上个到说为子和你地出道也时年得就那要下以生会自着去之过家学可她里后小么心多"
          + "天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样"
          + "现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新"
          + "什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼"
          + "体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计"
          + "或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱"
          + "让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保"
          + "达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党";

  private static final List<String> KOREAN = List.of((
      "안녕하세요 감사합니다 사랑 한국 서울 부산 커피 카페 빵집 식당 시장 학교 병원 은행 약국 호텔 영업중 할인 "
          + "세일 신상품 입구 출구 화장실 주차장 지하철 공항 환영합니다 맛집 음식 김치 비빔밥 불고기 치킨 맥주 "
          + "우유 과일 꽃집 서점 편의점 노래방 행복 친구 가족 여름 겨울 봄 가을 바다 하늘 사랑해요 생일 "
          + "축하합니다 새해 복 많이 받으세요 오늘 내일 무료 특가 문화 예술 음악 영화 공원 도서관")
      .split(" "));

  private SyntheticWords() {}

  /** 1-3 words (sometimes a number or price), in lower, Title or UPPER case. */
  static String latin(Random rng) {
    return latin(rng, 3);
  }

  /** 1 to {@code maxWords} words, as {@link #latin(Random)}. */
  static String latin(Random rng, int maxWords) {
    int n = 1 + rng.nextInt(maxWords);
    StringBuilder sb = new StringBuilder();
    int style = rng.nextInt(3);
    for (int i = 0; i < n; i++) {
      String w = rng.nextInt(10) == 0 ? LATIN_EXTRA.get(rng.nextInt(LATIN_EXTRA.size())) : LATIN.get(rng.nextInt(LATIN.size()));
      if (style == 1) {
        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      } else if (style == 2) {
        w = w.toUpperCase(java.util.Locale.ROOT);
      }
      sb.append(i > 0 ? " " : "").append(w);
    }
    return sb.toString();
  }

  /**
   * One upper-case Latin word: half the time a vocabulary word of at most 6 letters, otherwise 3-5 random
   * letters, so that a small model sees letters in every combination instead of memorising whole words
   * (held-out words are then in its distribution).
   */
  static String latinUpper(Random rng) {
    if (rng.nextBoolean()) {
      String w;
      do {
        w = LATIN.get(rng.nextInt(LATIN.size()));
      } while (w.length() > 6);
      return w.toUpperCase(java.util.Locale.ROOT);
    }
    int n = 3 + rng.nextInt(3);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('A' + rng.nextInt(26)));
    }
    return sb.toString();
  }

  /** A common word or 2-6 random common characters. */
  static String chinese(Random rng) {
    if (rng.nextBoolean()) {
      return CHINESE_WORDS.get(rng.nextInt(CHINESE_WORDS.size()));
    }
    int n = 2 + rng.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(CHINESE_CHARS.charAt(rng.nextInt(CHINESE_CHARS.length())));
    }
    return sb.toString();
  }

  /** One or two common words. */
  static String korean(Random rng) {
    String w = KOREAN.get(rng.nextInt(KOREAN.size()));
    return rng.nextInt(3) == 0 ? w + " " + KOREAN.get(rng.nextInt(KOREAN.size())) : w;
  }

  /** Every vocabulary string, for coverage checks. */
  static String allText() {
    return String.join("", LATIN) + String.join("", LATIN_EXTRA) + String.join("", CHINESE_WORDS) + CHINESE_CHARS
        + String.join("", KOREAN);
  }
}
