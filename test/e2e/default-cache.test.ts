import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_SECRET_HEADER } from '../../shared/contract/headers.js';
import { MODEL_LABEL_HEADER } from '../../shared/contract/model-label.js';
import { TranslationResultSchema } from '../../shared/contract/index.js';
import { launchStack, post, type Stack } from './harness.js';

/**
 * The real container behind wrangler dev with the committed defaults: no MODEL_ID (a blank var is
 * unset), so the edge keys its cache by the label the container reports on its answers.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await launchStack({ edgeVars: { MODEL_ID: '' } });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the shipped defaults', () => {
  it('the container sends its model label on every translate answer', async () => {
    const response = await fetch(`${stack.container.url}/api/v1/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [EDGE_SECRET_HEADER]: stack.secret },
      body: JSON.stringify({ text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get(MODEL_LABEL_HEADER)).toBe(stack.modelLabel);
  });

  it('a second identical request through the edge is a HIT, under the container\'s label', async () => {
    const body = { text: 'the mother drinks the tea', source_language: 'eng_Latn', target_language: 'swh_Latn' };
    const first = await post(`${stack.edge.url}/api/v1/translate`, body);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const miss = TranslationResultSchema.parse(await first.json());
    expect(miss.model).toBe(stack.modelLabel);
    const second = await post(`${stack.edge.url}/api/v1/translate`, body);
    expect(second.headers.get('x-cache')).toBe('HIT');
    const hit = TranslationResultSchema.parse(await second.json());
    expect(hit).toMatchObject({ cached: true, model: stack.modelLabel, translated_text: miss.translated_text });
  });
});
