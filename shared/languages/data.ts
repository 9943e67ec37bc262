import type { Region } from '../contract/languages.js';

/**
 * The 202 languages of NLLB-200, in tokenizer order: the position of a row is the position of its
 * language token after the SentencePiece vocabulary, so NEVER reorder, insert or remove rows here
 * (languageTokenId depends on it; the tests compare the order with the reference list).
 *
 * A row is [FLORES-200 code, English name (FLORES naming), autonym, region, ISO 639-1 or null].
 * Everything else about a language is derived (database.ts): the script is the code's suffix, the
 * ISO 639-3 code is its prefix, `african` is region Africa. Kept as tuples so the module stays small
 * and bundles into a Worker without fs.
 *
 * Autonyms are written in the language's own script. One documented exception: sat_Beng. The model's
 * token says Bengali script, but FLORES-200 and NLLB's Santali data are in Ol Chiki (sat_Olck), which is
 * also what Santali speakers write, so the autonym is in Ol Chiki while `script` stays "Beng".
 *
 * ISO 639-1: set where the language itself has one, or where the row is the dominant member (or the only
 * member among the 202) of a macrolanguage that has one: zsm→ms, pes→fa, arb→ar, gaz→om, zho_Hans→zh,
 * ory→or, khk→mn, npi→ne, lvs→lv, est→et, uzn→uz, azj→az, als→sq, quy→qu, ydd→yi, plt→mg, swh→sw,
 * ayr→ay, kmr→ku, pbt→ps, knc_Latn→kr, kon→kg, srd→sc, grn→gn. fuv→ff: Nigerian Fulfulde is the only
 * Fula variety in NLLB-200, so a client asking for "ff" can only mean it. No two rows share a 639-1 code:
 * where a language has two scripts the code goes to the default script (zho_Hans, kas_Arab, knc_Latn)
 * and the other row gets null (zho_Hant is "zt" in LibreTranslate terms, see libretranslate.ts).
 * Deliberately null: lua (639-1 "lu" is Luba-Katanga, a different language), bho/mai/mag ("bh" was a
 * deprecated collective code), prs and azb (fa and az belong to pes and azj), ckb (ku belongs to kmr).
 *
 * Region, exactly one of REGIONS, by where the language is at home (not where it spread):
 * - Africa: the continent and its islands, including the Arabic of the Maghreb, Egypt and Sudan
 *   (aeb, ary, arz), Berber and Tuareg (kab, tzm, taq), Malagasy, Kabuverdianu, Afrikaans.
 * - Middle East: the Levant, Mesopotamia, the Arabian Peninsula, Anatolia and Iran: the Arabic of the
 *   Levant, Gulf, Iraq and Yemen (acm, acq, ajp, apc, ars), Modern Standard Arabic (the written standard of
 *   the whole Arab world; its home is the Arabian Peninsula), Hebrew, Turkish, Western Persian, Kurdish
 *   (kmr, ckb) and South Azerbaijani (azb, spoken in Iran).
 * - Europe: including European Russia (Tatar, Bashkir), Crimean Tatar, Maltese, Yiddish (a language of
 *   European Jewry), Esperanto (created in Europe) and the European languages spoken worldwide (English,
 *   French, Spanish, Portuguese).
 * - Asia: South, East, Southeast and Central Asia and the Caucasus (hye, kat, azj), plus Afghanistan
 *   (prs, pbt).
 * - Americas: indigenous and creole languages of the Americas (ayr, grn, quy, hat, pap).
 * - Oceania: fij, mri, smo, tpi.
 */
export type LanguageRow = readonly [code: string, name: string, nativeName: string, region: Region, iso6391: string | null];

const AF = 'Africa';
const AM = 'Americas';
const AS = 'Asia';
const EU = 'Europe';
const ME = 'Middle East';
const OC = 'Oceania';

export const LANGUAGE_ROWS = [
  ['ace_Arab', 'Acehnese (Arabic script)', 'بهسا اچيه', AS, null],
  ['ace_Latn', 'Acehnese (Latin script)', 'Bahsa Acèh', AS, null],
  ['acm_Arab', 'Mesopotamian Arabic', 'عراقي', ME, null],
  ['acq_Arab', 'Ta’izzi-Adeni Arabic', 'تعزي-عدني', ME, null],
  ['aeb_Arab', 'Tunisian Arabic', 'تونسي', AF, null],
  ['afr_Latn', 'Afrikaans', 'Afrikaans', AF, 'af'],
  ['ajp_Arab', 'South Levantine Arabic', 'شامي جنوبي', ME, null],
  ['aka_Latn', 'Akan', 'Akan', AF, 'ak'],
  ['amh_Ethi', 'Amharic', 'አማርኛ', AF, 'am'],
  ['apc_Arab', 'North Levantine Arabic', 'شامي', ME, null],
  ['arb_Arab', 'Modern Standard Arabic', 'العربية', ME, 'ar'],
  ['ars_Arab', 'Najdi Arabic', 'نجدي', ME, null],
  ['ary_Arab', 'Moroccan Arabic', 'الدارجة', AF, null],
  ['arz_Arab', 'Egyptian Arabic', 'مصري', AF, null],
  ['asm_Beng', 'Assamese', 'অসমীয়া', AS, 'as'],
  ['ast_Latn', 'Asturian', 'Asturianu', EU, null],
  ['awa_Deva', 'Awadhi', 'अवधी', AS, null],
  ['ayr_Latn', 'Central Aymara', 'Aymar aru', AM, 'ay'],
  ['azb_Arab', 'South Azerbaijani', 'تۆرکجه', ME, null],
  ['azj_Latn', 'North Azerbaijani', 'Azərbaycan dili', AS, 'az'],
  ['bak_Cyrl', 'Bashkir', 'Башҡорт теле', EU, 'ba'],
  ['bam_Latn', 'Bambara', 'Bamanankan', AF, 'bm'],
  ['ban_Latn', 'Balinese', 'Basa Bali', AS, null],
  ['bel_Cyrl', 'Belarusian', 'Беларуская', EU, 'be'],
  ['bem_Latn', 'Bemba', 'Ichibemba', AF, null],
  ['ben_Beng', 'Bengali', 'বাংলা', AS, 'bn'],
  ['bho_Deva', 'Bhojpuri', 'भोजपुरी', AS, null],
  ['bjn_Arab', 'Banjar (Arabic script)', 'بهاس بنجر', AS, null],
  ['bjn_Latn', 'Banjar (Latin script)', 'Bahasa Banjar', AS, null],
  ['bod_Tibt', 'Standard Tibetan', 'བོད་སྐད་', AS, 'bo'],
  ['bos_Latn', 'Bosnian', 'Bosanski', EU, 'bs'],
  ['bug_Latn', 'Buginese', 'Basa Ugi', AS, null],
  ['bul_Cyrl', 'Bulgarian', 'Български', EU, 'bg'],
  ['cat_Latn', 'Catalan', 'Català', EU, 'ca'],
  ['ceb_Latn', 'Cebuano', 'Sinugboanon', AS, null],
  ['ces_Latn', 'Czech', 'Čeština', EU, 'cs'],
  ['cjk_Latn', 'Chokwe', 'Wuchokwe', AF, null],
  ['ckb_Arab', 'Central Kurdish', 'کوردیی ناوەندی', ME, null],
  ['crh_Latn', 'Crimean Tatar', 'Qırımtatar tili', EU, null],
  ['cym_Latn', 'Welsh', 'Cymraeg', EU, 'cy'],
  ['dan_Latn', 'Danish', 'Dansk', EU, 'da'],
  ['deu_Latn', 'German', 'Deutsch', EU, 'de'],
  ['dik_Latn', 'Southwestern Dinka', 'Thuɔŋjäŋ', AF, null],
  ['dyu_Latn', 'Dyula', 'Julakan', AF, null],
  ['dzo_Tibt', 'Dzongkha', 'རྫོང་ཁ', AS, 'dz'],
  ['ell_Grek', 'Greek', 'Ελληνικά', EU, 'el'],
  ['eng_Latn', 'English', 'English', EU, 'en'],
  ['epo_Latn', 'Esperanto', 'Esperanto', EU, 'eo'],
  ['est_Latn', 'Estonian', 'Eesti', EU, 'et'],
  ['eus_Latn', 'Basque', 'Euskara', EU, 'eu'],
  ['ewe_Latn', 'Ewe', 'Eʋegbe', AF, 'ee'],
  ['fao_Latn', 'Faroese', 'Føroyskt', EU, 'fo'],
  ['pes_Arab', 'Western Persian', 'فارسی', ME, 'fa'],
  ['fij_Latn', 'Fijian', 'Na Vosa Vakaviti', OC, 'fj'],
  ['fin_Latn', 'Finnish', 'Suomi', EU, 'fi'],
  ['fon_Latn', 'Fon', 'Fɔngbè', AF, null],
  ['fra_Latn', 'French', 'Français', EU, 'fr'],
  ['fur_Latn', 'Friulian', 'Furlan', EU, null],
  ['fuv_Latn', 'Nigerian Fulfulde', 'Fulfulde', AF, 'ff'],
  ['gla_Latn', 'Scottish Gaelic', 'Gàidhlig', EU, 'gd'],
  ['gle_Latn', 'Irish', 'Gaeilge', EU, 'ga'],
  ['glg_Latn', 'Galician', 'Galego', EU, 'gl'],
  ['grn_Latn', 'Guarani', 'Avañe\'ẽ', AM, 'gn'],
  ['guj_Gujr', 'Gujarati', 'ગુજરાતી', AS, 'gu'],
  ['hat_Latn', 'Haitian Creole', 'Kreyòl ayisyen', AM, 'ht'],
  ['hau_Latn', 'Hausa', 'Hausa', AF, 'ha'],
  ['heb_Hebr', 'Hebrew', 'עברית', ME, 'he'],
  ['hin_Deva', 'Hindi', 'हिन्दी', AS, 'hi'],
  ['hne_Deva', 'Chhattisgarhi', 'छत्तीसगढ़ी', AS, null],
  ['hrv_Latn', 'Croatian', 'Hrvatski', EU, 'hr'],
  ['hun_Latn', 'Hungarian', 'Magyar', EU, 'hu'],
  ['hye_Armn', 'Armenian', 'Հայերեն', AS, 'hy'],
  ['ibo_Latn', 'Igbo', 'Asụsụ Igbo', AF, 'ig'],
  ['ilo_Latn', 'Ilocano', 'Ilokano', AS, null],
  ['ind_Latn', 'Indonesian', 'Bahasa Indonesia', AS, 'id'],
  ['isl_Latn', 'Icelandic', 'Íslenska', EU, 'is'],
  ['ita_Latn', 'Italian', 'Italiano', EU, 'it'],
  ['jav_Latn', 'Javanese', 'Basa Jawa', AS, 'jv'],
  ['jpn_Jpan', 'Japanese', '日本語', AS, 'ja'],
  ['kab_Latn', 'Kabyle', 'Taqbaylit', AF, null],
  ['kac_Latn', 'Jingpho', 'Jinghpaw', AS, null],
  ['kam_Latn', 'Kamba', 'Kikamba', AF, null],
  ['kan_Knda', 'Kannada', 'ಕನ್ನಡ', AS, 'kn'],
  ['kas_Arab', 'Kashmiri (Arabic script)', 'کٲشُر', AS, 'ks'],
  ['kas_Deva', 'Kashmiri (Devanagari script)', 'कॉशुर', AS, null],
  ['kat_Geor', 'Georgian', 'ქართული', AS, 'ka'],
  ['knc_Arab', 'Central Kanuri (Arabic script)', 'كانوري', AF, null],
  ['knc_Latn', 'Central Kanuri (Latin script)', 'Kanuri', AF, 'kr'],
  ['kaz_Cyrl', 'Kazakh', 'Қазақ тілі', AS, 'kk'],
  ['kbp_Latn', 'Kabiyè', 'Kabɩyɛ', AF, null],
  ['kea_Latn', 'Kabuverdianu', 'Kabuverdianu', AF, null],
  ['khm_Khmr', 'Khmer', 'ភាសាខ្មែរ', AS, 'km'],
  ['kik_Latn', 'Kikuyu', 'Gĩkũyũ', AF, 'ki'],
  ['kin_Latn', 'Kinyarwanda', 'Ikinyarwanda', AF, 'rw'],
  ['kir_Cyrl', 'Kyrgyz', 'Кыргызча', AS, 'ky'],
  ['kmb_Latn', 'Kimbundu', 'Kimbundu', AF, null],
  ['kon_Latn', 'Kikongo', 'Kikongo', AF, 'kg'],
  ['kor_Hang', 'Korean', '한국어', AS, 'ko'],
  ['kmr_Latn', 'Northern Kurdish', 'Kurmancî', ME, 'ku'],
  ['lao_Laoo', 'Lao', 'ພາສາລາວ', AS, 'lo'],
  ['lvs_Latn', 'Standard Latvian', 'Latviešu', EU, 'lv'],
  ['lij_Latn', 'Ligurian', 'Lìgure', EU, null],
  ['lim_Latn', 'Limburgish', 'Limburgs', EU, 'li'],
  ['lin_Latn', 'Lingala', 'Lingála', AF, 'ln'],
  ['lit_Latn', 'Lithuanian', 'Lietuvių', EU, 'lt'],
  ['lmo_Latn', 'Lombard', 'Lombard', EU, null],
  ['ltg_Latn', 'Latgalian', 'Latgaļu', EU, null],
  ['ltz_Latn', 'Luxembourgish', 'Lëtzebuergesch', EU, 'lb'],
  ['lua_Latn', 'Luba-Kasai', 'Tshiluba', AF, null],
  ['lug_Latn', 'Ganda', 'Luganda', AF, 'lg'],
  ['luo_Latn', 'Luo', 'Dholuo', AF, null],
  ['lus_Latn', 'Mizo', 'Mizo ṭawng', AS, null],
  ['mag_Deva', 'Magahi', 'मगही', AS, null],
  ['mai_Deva', 'Maithili', 'मैथिली', AS, null],
  ['mal_Mlym', 'Malayalam', 'മലയാളം', AS, 'ml'],
  ['mar_Deva', 'Marathi', 'मराठी', AS, 'mr'],
  ['min_Latn', 'Minangkabau (Latin script)', 'Baso Minangkabau', AS, null],
  ['mkd_Cyrl', 'Macedonian', 'Македонски', EU, 'mk'],
  ['plt_Latn', 'Plateau Malagasy', 'Malagasy', AF, 'mg'],
  ['mlt_Latn', 'Maltese', 'Malti', EU, 'mt'],
  ['mni_Beng', 'Meitei (Bengali script)', 'মৈতৈলোন্', AS, null],
  ['khk_Cyrl', 'Halh Mongolian', 'Монгол хэл', AS, 'mn'],
  ['mos_Latn', 'Mossi', 'Mooré', AF, null],
  ['mri_Latn', 'Maori', 'Te Reo Māori', OC, 'mi'],
  ['zsm_Latn', 'Standard Malay', 'Bahasa Melayu', AS, 'ms'],
  ['mya_Mymr', 'Burmese', 'မြန်မာဘာသာ', AS, 'my'],
  ['nld_Latn', 'Dutch', 'Nederlands', EU, 'nl'],
  ['nno_Latn', 'Norwegian Nynorsk', 'Norsk nynorsk', EU, 'nn'],
  ['nob_Latn', 'Norwegian Bokmål', 'Norsk bokmål', EU, 'nb'],
  ['npi_Deva', 'Nepali', 'नेपाली', AS, 'ne'],
  ['nso_Latn', 'Northern Sotho', 'Sesotho sa Leboa', AF, null],
  ['nus_Latn', 'Nuer', 'Thok Naath', AF, null],
  ['nya_Latn', 'Nyanja', 'Chichewa', AF, 'ny'],
  ['oci_Latn', 'Occitan', 'Occitan', EU, 'oc'],
  ['gaz_Latn', 'West Central Oromo', 'Afaan Oromoo', AF, 'om'],
  ['ory_Orya', 'Odia', 'ଓଡ଼ିଆ', AS, 'or'],
  ['pag_Latn', 'Pangasinan', 'Pangasinan', AS, null],
  ['pan_Guru', 'Eastern Panjabi', 'ਪੰਜਾਬੀ', AS, 'pa'],
  ['pap_Latn', 'Papiamento', 'Papiamentu', AM, null],
  ['pol_Latn', 'Polish', 'Polski', EU, 'pl'],
  ['por_Latn', 'Portuguese', 'Português', EU, 'pt'],
  ['prs_Arab', 'Dari', 'دری', AS, null],
  ['pbt_Arab', 'Southern Pashto', 'پښتو', AS, 'ps'],
  ['quy_Latn', 'Ayacucho Quechua', 'Runasimi', AM, 'qu'],
  ['ron_Latn', 'Romanian', 'Română', EU, 'ro'],
  ['run_Latn', 'Rundi', 'Ikirundi', AF, 'rn'],
  ['rus_Cyrl', 'Russian', 'Русский', EU, 'ru'],
  ['sag_Latn', 'Sango', 'Sängö', AF, 'sg'],
  ['san_Deva', 'Sanskrit', 'संस्कृतम्', AS, 'sa'],
  ['sat_Beng', 'Santali', 'ᱥᱟᱱᱛᱟᱲᱤ', AS, null],
  ['scn_Latn', 'Sicilian', 'Sicilianu', EU, null],
  ['shn_Mymr', 'Shan', 'ၵႂၢမ်းတႆး', AS, null],
  ['sin_Sinh', 'Sinhala', 'සිංහල', AS, 'si'],
  ['slk_Latn', 'Slovak', 'Slovenčina', EU, 'sk'],
  ['slv_Latn', 'Slovenian', 'Slovenščina', EU, 'sl'],
  ['smo_Latn', 'Samoan', 'Gagana Sāmoa', OC, 'sm'],
  ['sna_Latn', 'Shona', 'chiShona', AF, 'sn'],
  ['snd_Arab', 'Sindhi', 'سنڌي', AS, 'sd'],
  ['som_Latn', 'Somali', 'Soomaali', AF, 'so'],
  ['sot_Latn', 'Southern Sotho', 'Sesotho', AF, 'st'],
  ['spa_Latn', 'Spanish', 'Español', EU, 'es'],
  ['als_Latn', 'Tosk Albanian', 'Shqip', EU, 'sq'],
  ['srd_Latn', 'Sardinian', 'Sardu', EU, 'sc'],
  ['srp_Cyrl', 'Serbian', 'Српски', EU, 'sr'],
  ['ssw_Latn', 'Swati', 'siSwati', AF, 'ss'],
  ['sun_Latn', 'Sundanese', 'Basa Sunda', AS, 'su'],
  ['swe_Latn', 'Swedish', 'Svenska', EU, 'sv'],
  ['swh_Latn', 'Swahili', 'Kiswahili', AF, 'sw'],
  ['szl_Latn', 'Silesian', 'Ślōnsko godka', EU, null],
  ['tam_Taml', 'Tamil', 'தமிழ்', AS, 'ta'],
  ['tat_Cyrl', 'Tatar', 'Татар теле', EU, 'tt'],
  ['tel_Telu', 'Telugu', 'తెలుగు', AS, 'te'],
  ['tgk_Cyrl', 'Tajik', 'Тоҷикӣ', AS, 'tg'],
  ['tgl_Latn', 'Tagalog', 'Tagalog', AS, 'tl'],
  ['tha_Thai', 'Thai', 'ภาษาไทย', AS, 'th'],
  ['tir_Ethi', 'Tigrinya', 'ትግርኛ', AF, 'ti'],
  ['taq_Latn', 'Tamasheq (Latin script)', 'Tamasheq', AF, null],
  ['taq_Tfng', 'Tamasheq (Tifinagh script)', 'ⵜⴰⵎⴰⵛⴰⵇ', AF, null],
  ['tpi_Latn', 'Tok Pisin', 'Tok Pisin', OC, null],
  ['tsn_Latn', 'Tswana', 'Setswana', AF, 'tn'],
  ['tso_Latn', 'Tsonga', 'Xitsonga', AF, 'ts'],
  ['tuk_Latn', 'Turkmen', 'Türkmençe', AS, 'tk'],
  ['tum_Latn', 'Tumbuka', 'Chitumbuka', AF, null],
  ['tur_Latn', 'Turkish', 'Türkçe', ME, 'tr'],
  ['twi_Latn', 'Twi', 'Twi', AF, 'tw'],
  ['tzm_Tfng', 'Central Atlas Tamazight', 'ⵜⴰⵎⴰⵣⵉⵖⵜ', AF, null],
  ['uig_Arab', 'Uyghur', 'ئۇيغۇرچە', AS, 'ug'],
  ['ukr_Cyrl', 'Ukrainian', 'Українська', EU, 'uk'],
  ['umb_Latn', 'Umbundu', 'Umbundu', AF, null],
  ['urd_Arab', 'Urdu', 'اردو', AS, 'ur'],
  ['uzn_Latn', 'Northern Uzbek', 'Oʻzbekcha', AS, 'uz'],
  ['vec_Latn', 'Venetian', 'Vèneto', EU, null],
  ['vie_Latn', 'Vietnamese', 'Tiếng Việt', AS, 'vi'],
  ['war_Latn', 'Waray', 'Winaray', AS, null],
  ['wol_Latn', 'Wolof', 'Wolof', AF, 'wo'],
  ['xho_Latn', 'Xhosa', 'isiXhosa', AF, 'xh'],
  ['ydd_Hebr', 'Eastern Yiddish', 'ייִדיש', EU, 'yi'],
  ['yor_Latn', 'Yoruba', 'Èdè Yorùbá', AF, 'yo'],
  ['yue_Hant', 'Yue Chinese', '粵語', AS, null],
  ['zho_Hans', 'Chinese (Simplified)', '简体中文', AS, 'zh'],
  ['zho_Hant', 'Chinese (Traditional)', '繁體中文', AS, null],
  ['zul_Latn', 'Zulu', 'isiZulu', AF, 'zu'],
] as const satisfies readonly LanguageRow[];

/** A FLORES-200 code of one of the 202 languages. */
export type LanguageCode = (typeof LANGUAGE_ROWS)[number][0];

/**
 * Widely used languages, shown first by clients (`popular: true`, GET /languages/popular): the most
 * spoken world languages plus the big African languages this API focuses on. 30 entries; order is
 * irrelevant (lists are always served in tokenizer order).
 */
export const POPULAR_CODES: readonly LanguageCode[] = [
  // world languages
  'eng_Latn', 'fra_Latn', 'spa_Latn', 'por_Latn', 'deu_Latn', 'ita_Latn', 'rus_Cyrl', 'arb_Arab', 'zho_Hans',
  'jpn_Jpan', 'kor_Hang', 'hin_Deva', 'ben_Beng', 'urd_Arab', 'ind_Latn', 'tur_Latn', 'pes_Arab', 'vie_Latn',
  // African languages with tens of millions of speakers
  'swh_Latn', 'hau_Latn', 'yor_Latn', 'ibo_Latn', 'amh_Ethi', 'zul_Latn', 'xho_Latn', 'som_Latn', 'kin_Latn',
  'gaz_Latn', 'afr_Latn', 'lin_Latn',
];
